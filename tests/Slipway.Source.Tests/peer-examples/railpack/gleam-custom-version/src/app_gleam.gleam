import gleam/io

pub fn main() -> Nil {
  io.println("Hello from app_gleam!")
}

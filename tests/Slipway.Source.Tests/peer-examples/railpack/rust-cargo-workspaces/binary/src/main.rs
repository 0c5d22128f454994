fn main() {
    println!("{} ({})", library::MESSAGE, env!("RUST_VERSION"));
}

fn main() {
    println!("{}", greeting::greet("rust-workspace"));
}

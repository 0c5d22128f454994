fn main() {
    println!("hello from custom version ({})", env!("RUST_VERSION"));
}

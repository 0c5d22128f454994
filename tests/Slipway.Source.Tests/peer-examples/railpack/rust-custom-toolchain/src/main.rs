fn main() {
    println!("hello from custom toolchain ({})", env!("RUST_VERSION"));
}

fn main() {
    println!("This is Bin 1! ({})", env!("RUST_VERSION"));
}

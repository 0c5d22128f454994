fn main() {
    println!("This is Bin 2!");
}

fn main() {
    println!("This is the main Bin!");
}

fn main() {
    println!("migrating nothing");
}

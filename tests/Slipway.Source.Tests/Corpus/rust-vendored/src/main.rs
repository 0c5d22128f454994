fn main() {
    println!("{}", tinyfmt::shout("hello from rust-vendored"));
}

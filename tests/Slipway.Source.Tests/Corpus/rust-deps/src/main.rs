fn main() {
    let mut buf = itoa::Buffer::new();
    println!("hello from rust-deps, {}", buf.format(42));
}

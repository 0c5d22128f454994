pub const MESSAGE: &str = "Hello from rust";

console.log("pkg-b loaded");

export function greet() {
  return "pkg-b says: hello from yarn workspace!";
}

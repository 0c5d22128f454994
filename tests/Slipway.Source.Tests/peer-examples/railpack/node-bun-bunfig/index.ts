import "@jsr/std__fmt/colors";
console.log("hello from bunfig");

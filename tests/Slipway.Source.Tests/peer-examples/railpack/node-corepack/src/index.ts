import dayjs from "dayjs";

console.log(dayjs().format());
console.log("Hello from Corepack Node", process.version);

import dayjs from "dayjs";

console.log("hello from Node " + process.version);
console.log(dayjs().format());

import dayjs from "dayjs";
import isNumber from "is-number";

console.log(`npm dependencies loaded: ${dayjs("2026-07-21").format("YYYY-MM-DD")} ${isNumber(42)}`);

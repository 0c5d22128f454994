export * from "./constants.js";
export * from "./utils.js";

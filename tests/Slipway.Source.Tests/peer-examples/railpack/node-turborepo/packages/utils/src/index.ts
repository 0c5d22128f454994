export * from "./constants";
export * from "./helpers";

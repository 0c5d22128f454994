export const APP_NAME = "Fullstack Monorepo";
export const API_VERSION = "1.0.0";
export const DEFAULT_PORT = 3000;

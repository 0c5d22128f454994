export const APP_NAME = "Turborepo Example";
export const API_VERSION = "1.0.0";

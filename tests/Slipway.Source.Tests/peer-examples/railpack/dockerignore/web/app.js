// This file should be included in the build

console.log('Node version:', process.version);

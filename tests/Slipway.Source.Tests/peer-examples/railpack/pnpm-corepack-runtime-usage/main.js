console.log('Node.js version:', process.version);
console.log('Started through pnpm run start');

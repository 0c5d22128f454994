console.log("hello from Node " + process.version);

console.log("pkg-b");

console.log("pkg-a");

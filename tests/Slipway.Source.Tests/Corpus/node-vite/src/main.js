document.querySelector("#app").textContent = "hello from node-vite";

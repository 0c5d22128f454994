document.querySelector('#app').innerHTML = `
  <h1>Railpack Node SPA</h1>
  <p>This is served by Caddy from a Node SPA build with a custom Caddyfile.</p>
`

// Placeholder script; the front end replaces this file. It lists the
// albums, so a person running the binary sees the API at work.
"use strict";
(async () => {
  const site = await (await fetch("site.json")).json();
  document.getElementById("artist").textContent = site.name;
  const page = await (await fetch(site.api + "/albums?per_page=100")).json();
  const list = document.getElementById("albums");
  for (const album of page.items) {
    const item = document.createElement("li");
    item.textContent = album.title;
    list.append(item);
  }
})();

/* The header's search box. Opened from the file system (a --relative build on a disk),
   the static search index cannot be loaded: the box says so instead of leading to an
   empty search page. */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var forms = document.querySelectorAll("form.search-box[data-offline]");
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    var note = document.createElement("p");
    note.className = "search-offline";
    note.textContent = form.getAttribute("data-offline");
    form.appendChild(note);
    var fields = form.querySelectorAll("input, button");
    for (var j = 0; j < fields.length; j++) fields[j].disabled = true;
  }
})();

/* The version selector of a notice's text: go to the page of the chosen version.
   Each option's value is a relative URL, so this works from file:// and any folder.
   Without this script the form stays hidden; the 改正の経緯 table links every version. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-version-form]");
  Array.prototype.forEach.call(forms, function (form) {
    var select = form.querySelector("select");
    if (!select) {
      return;
    }
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (select.value) {
        window.location.href = select.value;
      }
    });
  });
})();

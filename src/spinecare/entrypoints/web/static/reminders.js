// Reminders page: a time-zone field never saved before is filled from the browser's own
// setting (the person can still change it). Without JavaScript it stays empty: UTC.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.getElementById("timezone");
  if (!field || field.dataset.fillFromBrowser !== "yes" || field.value) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) field.value = zone;
  } catch (e) { /* old browser: leave it empty (UTC) */ }
});

// Loaded into a temporary copy of catapult's netlog_viewer index.html by
// open_in_viewer.py: once the viewer has started, it loads ./netlog.json the
// way the Import tab loads a chosen file, logs the import status the tab shows,
// then lets the viewer handle the URL hash again ("#events&s=3" shows the
// Events tab with source 3 selected), now that there is a log to show.
'use strict';

(function() {
  function whenViewerIsUp(callback) {
    if (typeof g_browser !== 'undefined' && g_browser !== null &&
        typeof ImportView !== 'undefined') {
      callback();
      return;
    }
    setTimeout(() => whenViewerIsUp(callback), 50);
  }

  whenViewerIsUp(() => {
    fetch('netlog.json')
        .then((response) => response.text())
        .then((text) => {
          const importView = ImportView.getInstance();
          importView.onLoadLogFile({name: 'netlog.json'},
                                   {target: {result: text}});
          console.log(
              'IMPORT STATUS: ' + importView.loadStatusText_.textContent);
          window.onhashchange();
        })
        .catch((error) => console.log('HARNESS ERROR: ' + error));
  });
})();

#!/usr/bin/env python3
"""Opens a NetLog in catapult's netlog_viewer, headless, and screenshots it.

The viewer is catapult's own code, from a catapult checkout given on the
command line (nothing of it lives in this tree). It is served from a temporary
directory laid out as catapult's netlog_viewer/bin/serve_static lays it out,
with harness.js added to its index.html; Debian's chromium loads it headless,
harness.js loads the NetLog through the Import tab's code path, and chromium
writes a screenshot of the tab asked for. The import status the viewer shows
("Log loaded." or its errors) is printed.

  tools/netlog_viewer/open_in_viewer.py --catapult=DIR --netlog=FILE.json \\
      --screenshot=OUT.png [--tab=events] [--source=ID]
"""

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *unused):
        pass


def lay_out_viewer(catapult, netlog, root):
    viewer = os.path.join(catapult, 'netlog_viewer', 'netlog_viewer')
    if not os.path.isfile(os.path.join(viewer, 'index.html')):
        sys.exit('no netlog_viewer/netlog_viewer/index.html under ' + catapult)
    for name in os.listdir(viewer):
        if name != 'index.html':
            os.symlink(os.path.join(viewer, name), os.path.join(root, name))
    os.symlink(os.path.join(catapult, 'third_party', 'polymer', 'components'),
               os.path.join(root, 'components'))
    os.symlink(os.path.join(catapult, 'third_party'),
               os.path.join(root, 'third_party'))
    with open(os.path.join(viewer, 'index.html')) as f:
        index = f.read()
    index = index.replace('</body>',
                          '<script src="harness.js"></script>\n</body>')
    with open(os.path.join(root, 'index.html'), 'w') as f:
        f.write(index)
    shutil.copy(os.path.join(HERE, 'harness.js'), root)
    shutil.copy(netlog, os.path.join(root, 'netlog.json'))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--catapult', required=True)
    parser.add_argument('--netlog', required=True)
    parser.add_argument('--screenshot', required=True)
    parser.add_argument('--tab', default='import')
    parser.add_argument('--source', type=int)
    parser.add_argument('--chromium', default='chromium')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix='netlog_viewer.') as root:
        lay_out_viewer(os.path.abspath(args.catapult), args.netlog, root)
        handler = functools.partial(QuietHandler, directory=root)
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = 'http://127.0.0.1:%d/index.html#%s' % (
                server.server_address[1], args.tab)
            if args.source is not None:
                url += '&s=%d' % args.source
            with tempfile.TemporaryDirectory(prefix='chromium.') as profile:
                run = subprocess.run(
                    [args.chromium, '--headless', '--no-sandbox',
                     '--disable-gpu', '--user-data-dir=' + profile,
                     '--enable-logging=stderr', '--v=0',
                     '--window-size=1600,1000',
                     '--virtual-time-budget=20000',
                     '--screenshot=' + os.path.abspath(args.screenshot), url],
                    capture_output=True, text=True, timeout=300)
        finally:
            server.shutdown()
            server.server_close()
    console = [m.group(1) for m in re.finditer(
        r'CONSOLE[:(]\d+\)?\] "(.*?)", source', run.stderr, re.S)]
    for line in console:
        print('viewer console:', line)
    if run.returncode != 0 or not os.path.isfile(args.screenshot):
        print(run.stderr[-3000:], file=sys.stderr)
        return 1
    print('screenshot:', args.screenshot)
    loaded = any(line.startswith('IMPORT STATUS: ') and 'Log loaded.' in line
                 for line in console)
    return 0 if loaded else 2


if __name__ == '__main__':
    sys.exit(main())

"""An outbound HTTP proxy from the environment (`http_proxy`), as curl honours it: the proxy reads
the environment once at start, so this checks that a process started with one still uses it."""
import http.server
import threading
import urllib.request

from openai import OpenAI

from conftest import Proxy

MESSAGES = [{"role": "user", "content": "through the proxy"}]


class ForwardProxy(http.server.ThreadingHTTPServer):
    """A forward proxy on loopback: takes absolute-form requests, records their targets, and
    relays them (to the local mock only; nothing leaves the machine)."""

    def __init__(self):
        self.targets = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                proxy.targets.append(self.path)
                assert self.path.startswith("http://127.0.0.1:"), self.path
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection", "content-length")}
                request = urllib.request.Request(self.path, data=body, headers=headers, method="POST")
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(request) as response:
                    reply = response.read()
                    self.send_response(response.status)
                    self.send_header("content-type", response.headers["content-type"])
                    self.send_header("content-length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)

            def log_message(self, *arguments):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def test_http_proxy_from_the_environment_carries_upstream_calls(mock):
    forward = ForwardProxy()
    proxy = Proxy(mock, environment={"http_proxy": f"http://127.0.0.1:{forward.server_address[1]}", "no_proxy": ""})
    try:
        sdk = OpenAI(base_url=proxy.base_url, api_key="sk-provider-key", max_retries=0, timeout=20)
        reply = sdk.chat.completions.create(model="gpt-4o", messages=MESSAGES, extra_headers={"x-bt-use-cache": "never"})
        assert reply.choices[0].message.content == "Mock reply to: through the proxy"
        assert forward.targets == [f"{mock.base_url}/chat/completions"]
    finally:
        proxy.stop()
        forward.shutdown()


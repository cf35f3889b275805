"""``crmkg serve --workers N``: each process's socket sends without Nagle's delay (issue 10 §9).

With protocol 0 on the listening socket asyncio left Nagle on, and every keep-alive response of
``--workers 2`` waited ~40 ms for the client's delayed ACK. The speed itself is measured by
``bench/bench_api.py`` (1 vs 2 workers); this checks the cause directly.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from crmkg.cli.serve import listening_socket

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="--workers uses SO_REUSEPORT here")


def test_the_listening_socket_is_tcp_with_nodelay() -> None:
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()


def test_connections_accepted_by_asyncio_on_it_have_nodelay() -> None:
    async def accepted_nodelay() -> int:
        sock = listening_socket("127.0.0.1", 0)
        port = sock.getsockname()[1]
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    assert asyncio.run(accepted_nodelay()) != 0

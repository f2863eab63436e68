package dev.netbench.http;

import dev.netbench.transport.Transport;

/** Every load generator test again on Java NIO, whose connections are Netty channels instead of raw epoll sockets. */
class HttpLoadNioTest extends HttpLoadTest {
    @Override
    Transport transport() {
        return Transport.nio();
    }
}

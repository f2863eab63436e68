package dev.netbench.it;

import dev.netbench.NetbenchException;
import dev.netbench.auth.Token;
import dev.netbench.client.Client;
import dev.netbench.client.ClientSettings;
import dev.netbench.cluster.Agent;
import dev.netbench.cluster.RemoteClient;
import dev.netbench.cluster.RemoteRequest;
import dev.netbench.host.Identity;
import dev.netbench.protocol.SocketKnobs;
import dev.netbench.protocol.TestKind;
import dev.netbench.report.RunReport;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token's challenge-response and remote-driven tests, between real agents on loopback. */
class AuthTest {
    private static final Token TOKEN = Token.of("the-cluster-secret");

    private static ClientSettings lat(Loopback lo, Token token, TestKind kind) {
        return new ClientSettings("127.0.0.1", lo.port(), List.of(kind), List.of(), Duration.ofMillis(300), Duration.ZERO, 1,
                false, Duration.ZERO, Duration.ofSeconds(5), null, 0, token);
    }

    private static RemoteRequest request(Loopback target, List<TestKind> tests) {
        return new RemoteRequest("127.0.0.1", target.port(), target.server.httpAddress().getPort(), tests, List.of(),
                Duration.ofMillis(300).toNanos(), 0, 1, 4, 0, SocketKnobs.DEFAULT);
    }

    private static InetSocketAddress at(Loopback lo) {
        return new InetSocketAddress("127.0.0.1", lo.port());
    }

    @Test
    void requiredTokenRefusesClientsWithoutItOrWithTheWrongOne() throws Exception {
        try (Loopback lo = new Loopback(TOKEN, true)) {
            NetbenchException none = assertThrows(NetbenchException.class, () -> Client.run(lat(lo, null, TestKind.TCP_LAT), l -> { }));
            assertTrue(none.getMessage().contains("this agent requires a token"), none.getMessage());
            NetbenchException wrong = assertThrows(NetbenchException.class,
                    () -> Client.run(lat(lo, Token.of("not-the-secret"), TestKind.TCP_LAT), l -> { }));
            assertTrue(wrong.getMessage().contains("authentication failed: wrong token"), wrong.getMessage());
            // refusals are logged once, then summed: two refusals within 10 s make one line
            assertEquals(1, lo.log.stream().filter(l -> l.contains("event=auth_refused")).count(), lo.log.toString());

            RunReport ok = Client.run(lat(lo, TOKEN, TestKind.TCP_LAT), l -> { });
            assertTrue(ok.results().get(0).latency().roundTrips() > 0);
            // tcp_crr's transaction connections are let in while the authenticated test runs from this address
            RunReport crr = Client.run(lat(lo, TOKEN, TestKind.TCP_CRR), l -> { });
            assertTrue(crr.results().get(0).connectRate().transactions() > 0);
            assertEquals(0, crr.results().get(0).connectRate().failed());
        }
    }

    @Test
    void udpTestsProveTheTokenAgainstTheCookie() throws Exception {
        try (Loopback lo = new Loopback(TOKEN, true)) {
            NetbenchException none = assertThrows(NetbenchException.class, () -> Client.run(lat(lo, null, TestKind.UDP_LAT), l -> { }));
            assertTrue(none.getMessage().contains("this agent requires a token"), none.getMessage());
            NetbenchException wrong = assertThrows(NetbenchException.class,
                    () -> Client.run(lat(lo, Token.of("not-the-secret"), TestKind.UDP_LAT), l -> { }));
            assertTrue(wrong.getMessage().contains("authentication failed: wrong token"), wrong.getMessage());
            assertTrue(Client.run(lat(lo, TOKEN, TestKind.UDP_LAT), l -> { }).results().get(0).latency().roundTrips() > 0);
        }
    }

    @Test
    void transactionsWithoutAnAuthenticatedTestAreRefused() throws Exception {
        try (Loopback lo = new Loopback(TOKEN, true)) {
            NetbenchException e = assertThrows(NetbenchException.class, () -> Client.run(lat(lo, null, TestKind.TCP_CRR), l -> { }));
            assertTrue(e.getMessage().contains("requires a token"), e.getMessage());
        }
    }

    @Test
    void tokenIsOptionalUnlessRequired() throws Exception {
        try (Loopback withToken = new Loopback(TOKEN, false); Loopback without = new Loopback()) {
            assertTrue(Client.run(lat(withToken, null, TestKind.TCP_LAT), l -> { }).results().get(0).latency().roundTrips() > 0);
            assertTrue(Client.run(lat(withToken, TOKEN, TestKind.TCP_LAT), l -> { }).results().get(0).latency().roundTrips() > 0);
            assertTrue(Client.run(lat(without, TOKEN, TestKind.TCP_LAT), l -> { }).results().get(0).latency().roundTrips() > 0);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void remoteDrivenTestRunsAtTheSourceAgentAgainstTheTarget() throws Exception {
        try (Loopback source = new Loopback(TOKEN, false); Loopback target = new Loopback(TOKEN, true);
             RemoteClient orchestrator = new RemoteClient(TOKEN, Duration.ofSeconds(5))) {
            Agent id = orchestrator.identify(at(source));
            assertEquals(Identity.local().hostname(), id.identity().hostname());
            assertEquals(source.server.httpAddress().getPort(), id.httpPort());

            Map<String, Object> doc = orchestrator.run(at(source), request(target, List.of(TestKind.TCP_LAT, TestKind.HTTP)));
            List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
            assertEquals("tcp_lat", results.get(0).get("test"));
            assertTrue(((Number) results.get(0).get("latency_us")).doubleValue() > 0);
            assertEquals("http", results.get(1).get("test"));
            assertTrue(source.log.stream().anyMatch(l -> l.contains("event=remote_run")), source.log.toString());
            // the source agent used the token towards the target, which requires it
            assertTrue(target.log.stream().noneMatch(l -> l.contains("auth_refused")), target.log.toString());
        }
    }

    @Test
    void remoteDrivenTestsNeedTheTokenAndAProvenAgent() throws Exception {
        try (Loopback tokenless = new Loopback(); Loopback agent = new Loopback(TOKEN, false);
             RemoteClient wrong = new RemoteClient(Token.of("not-the-secret"), Duration.ofSeconds(5));
             RemoteClient right = new RemoteClient(TOKEN, Duration.ofSeconds(5))) {
            NetbenchException e = assertThrows(NetbenchException.class, () -> wrong.run(at(agent), request(agent, List.of(TestKind.TCP_LAT))));
            assertTrue(e.getMessage().contains("authentication failed: wrong token"), e.getMessage());
            e = assertThrows(NetbenchException.class, () -> right.run(at(tokenless), request(agent, List.of(TestKind.TCP_LAT))));
            assertTrue(e.getMessage().contains("remote-driven tests need a token on this agent"), e.getMessage());
            e = assertThrows(NetbenchException.class, () -> right.identify(at(tokenless)));
            assertTrue(e.getMessage().contains("did not prove it holds the token"), e.getMessage());
            // a target that does not answer the handshake: the run fails at the source, with the reason
            RemoteRequest toNowhere = new RemoteRequest("127.0.0.1", 1, 2, List.of(TestKind.TCP_BW), List.of(),
                    Duration.ofMillis(300).toNanos(), 0, 1, 1, 0, SocketKnobs.DEFAULT);
            e = assertThrows(NetbenchException.class, () -> right.run(at(agent), toNowhere));
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        }
    }
}

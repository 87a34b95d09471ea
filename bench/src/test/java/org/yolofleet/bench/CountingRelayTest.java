package org.yolofleet.bench;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CountingRelayTest {
    @Test
    void relaysBothWaysAndCountsEveryByte() throws Exception {
        byte[] answer = new byte[300_000];
        new Random(5).nextBytes(answer);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (Socket connection = server.accept()) {
                    connection.getInputStream().readNBytes(1234);
                    connection.getOutputStream().write(answer);
                } catch (Exception ignored) {
                    // the test's assertions report a broken exchange
                }
            });
            serving.start();
            try (CountingRelay relay = CountingRelay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
                OutputStream output = client.getOutputStream();
                output.write(new byte[1234]);
                InputStream input = client.getInputStream();
                byte[] received = input.readAllBytes();
                serving.join(10_000);

                assertThat(Arrays.equals(received, answer)).isTrue();
                // the pump counts right after it writes: give it that moment
                for (int wait = 0; wait < 100 && relay.toClient() < answer.length; wait++) {
                    Thread.sleep(10);
                }
                assertThat(relay.toClient()).isEqualTo(answer.length);
                assertThat(relay.toServer()).isEqualTo(1234);
                assertThat(relay.connections()).isEqualTo(1);
            }
        }
    }
}

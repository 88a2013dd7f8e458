package io.jdqlite.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesHostsNamesAndBracketedIpv6() {
        assertThat(HostPort.parse("127.0.0.1:9001")).isEqualTo(new HostPort("127.0.0.1", 9001));
        assertThat(HostPort.parse("node-0.dqlite.svc:1")).isEqualTo(new HostPort("node-0.dqlite.svc", 1));
        assertThat(HostPort.parse("[::1]:65535")).isEqualTo(new HostPort("::1", 65535));
        assertThat(HostPort.check("db:9001")).isEqualTo("db:9001");
    }

    @Test
    void badAddressesAreRefusedWithTheAddressAndWhatIsWrong() {
        assertThatThrownBy(() -> HostPort.parse("nohost")).hasMessage("'nohost' is not host:port");
        assertThatThrownBy(() -> HostPort.parse(":9001")).hasMessage("':9001' is not host:port");
        assertThatThrownBy(() -> HostPort.parse("h:")).hasMessage("'h:' is not host:port");
        assertThatThrownBy(() -> HostPort.parse("h:x1")).hasMessage("'h:x1' has a non-numeric port");
        assertThatThrownBy(() -> HostPort.parse("h:99999")).hasMessage("'h:99999' has a port outside 1-65535");
        assertThatThrownBy(() -> HostPort.parse("h:0")).hasMessage("'h:0' has a port outside 1-65535");
        assertThatThrownBy(() -> HostPort.parse(null)).hasMessage("missing address (host:port)");
        assertThatThrownBy(() -> HostPort.parse(" ")).hasMessage("missing address (host:port)");
    }

    @Test
    void aListenerMayAskForAnyFreePort() {
        assertThat(HostPort.parseBindable("0.0.0.0:0")).isEqualTo(new HostPort("0.0.0.0", 0));
        assertThatThrownBy(() -> HostPort.parseBindable("h:-1")).hasMessage("'h:-1' has a port outside 0-65535");
    }
}

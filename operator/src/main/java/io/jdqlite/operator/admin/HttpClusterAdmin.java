package io.jdqlite.operator.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jdqlite.operator.api.MemberRole;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ClusterAdmin} over the nodes' admin HTTP API (port 8080 of each pod). Mutations are sent to the
 * last known leader first, then to every other known endpoint; a 409 names the leader, whose endpoint is
 * known from earlier {@link #status} answers (node id to endpoint).
 */
public final class HttpClusterAdmin implements ClusterAdmin {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http;
    private final Duration timeout;
    private final Set<String> endpoints;
    private final Map<Long, String> endpointByNodeId = new ConcurrentHashMap<>();
    private volatile String leaderEndpoint;

    public HttpClusterAdmin(HttpClient http, Duration timeout, Collection<String> podAddresses) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.endpoints = new LinkedHashSet<>(podAddresses);
    }

    /** A factory sharing one HTTP client across clusters. */
    public static ClusterAdminFactory factory(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        return (namespace, name, podAddresses) -> new HttpClusterAdmin(client, timeout, podAddresses);
    }

    @Override
    public NodeStatus status(String podAddress) {
        Reply reply = send(podAddress, "GET", "/admin/status", null);
        if (reply.code != 200) {
            throw new ClusterAdminException("GET /admin/status on " + podAddress + " answered " + reply.code + ": " + reply.body);
        }
        try {
            NodeStatus status = JSON.readValue(reply.body, NodeStatus.class);
            if (status == null) { // a 200 "null" (a proxy, a half-started server) is no status
                throw new ClusterAdminException("empty status from " + podAddress + ": " + reply.body);
            }
            endpointByNodeId.put(status.nodeId(), podAddress);
            if (status.leader()) {
                leaderEndpoint = podAddress;
            }
            return status;
        } catch (IOException e) {
            throw new ClusterAdminException("unreadable status from " + podAddress + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void addMember(long id, String address, MemberRole role) {
        onLeader("POST", "/admin/members", Map.of("id", id, "address", address, "role", role.name()));
    }

    @Override
    public void assignRole(long id, MemberRole role) {
        onLeader("PUT", "/admin/members/" + Long.toUnsignedString(id) + "/role", Map.of("role", role.name()));
    }

    @Override
    public void removeMember(long id) {
        onLeader("DELETE", "/admin/members/" + Long.toUnsignedString(id), null);
    }

    @Override
    public void transferLeadership(long toId) {
        onLeader("POST", "/admin/transfer", Map.of("id", toId));
    }

    private void onLeader(String method, String path, Object body) {
        List<String> order = new ArrayList<>();
        if (leaderEndpoint != null) {
            order.add(leaderEndpoint);
        }
        order.addAll(endpoints);
        Set<String> tried = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String endpoint = order.get(i);
            if (!tried.add(endpoint)) {
                continue;
            }
            Reply reply;
            try {
                reply = send(endpoint, method, path, body);
            } catch (ClusterAdminException e) {
                failures.add(e.getMessage());
                continue;
            }
            if (reply.code / 100 == 2) {
                leaderEndpoint = endpoint;
                return;
            }
            if (reply.code == 409) {
                String hinted = leaderHint(reply.body);
                if (hinted != null && !tried.contains(hinted)) {
                    order.add(i + 1, hinted);
                }
                failures.add(endpoint + ": not leader");
                continue;
            }
            throw new ClusterAdminException(method + " " + path + " on " + endpoint + " answered " + reply.code + ": " + reply.body);
        }
        throw new ClusterAdminException(method + " " + path + ": no leader reachable " + failures);
    }

    private String leaderHint(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            long leaderId = node.path("leaderId").asLong(0);
            return leaderId == 0 ? null : endpointByNodeId.get(leaderId);
        } catch (IOException e) {
            return null;
        }
    }

    private Reply send(String endpoint, String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .method(method, publisher)
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new ClusterAdminException(method + " " + path + " on " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterAdminException(method + " " + path + " on " + endpoint + " interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new ClusterAdminException("bad admin endpoint '" + endpoint + "': " + e.getMessage(), e);
        }
    }

    private record Reply(int code, String body) {
    }
}

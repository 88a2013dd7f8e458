package io.jdqlite.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;

/** As the real API server: a StatefulSet's volumeClaimTemplates cannot change (422 Forbidden). */
final class StrictStatefulSetDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        String path = request.getPath();
        String body = request.getUtf8Body(); // consumes it: hand the CRUD dispatcher a fresh copy
        request = new RecordedRequest(request.getHttpVersion(), request.method(), path, request.getHeaders(),
                new io.fabric8.mockwebserver.http.Buffer().writeUtf8(body));
        if (path.contains("/statefulsets/") && !path.contains("/status")) {
            MockResponse current = handleGet(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
            try {
                if (current.code() == 200) {
                    JsonNode before = JSON.readTree(current.getBody().readUtf8()).path("spec").path("volumeClaimTemplates");
                    JsonNode after = JSON.readTree(body).path("spec").path("volumeClaimTemplates");
                    if (!storage(before).equals(storage(after))) {
                        return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"StatefulSet.apps is invalid: "
                                + "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                                + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\"}");
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return super.handleUpdate(request);
    }

    private static String storage(JsonNode vcts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : vcts) {
            sb.append(t.path("spec").path("storageClassName").asText()).append('/')
                    .append(t.path("spec").path("resources").path("requests").path("storage").asText()).append(';');
        }
        return sb.toString();
    }
}

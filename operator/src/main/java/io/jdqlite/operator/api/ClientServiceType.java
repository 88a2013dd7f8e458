package io.jdqlite.operator.api;

/** Kubernetes Service types offered for the client Service. */
public enum ClientServiceType {
    ClusterIP, NodePort, LoadBalancer
}

package io.jdqlite.operator;

import io.jdqlite.operator.api.ClusterPhase;
import io.jdqlite.operator.api.MemberRole;

import java.util.Optional;

/** The one membership change a reconcile makes (Raft changes go one at a time), or why it waits. */
sealed interface Step {
    /** Phase the cluster is in while this step is under way. */
    ClusterPhase phase();

    /** Event reason and message. */
    String reason();

    String describe();

    record AddMember(long id, String address, String pod) implements Step {
        public ClusterPhase phase() {
            return ClusterPhase.Scaling;
        }

        public String reason() {
            return "MemberAdded";
        }

        public String describe() {
            return "adding " + pod + " (id " + Long.toUnsignedString(id) + ", " + address + ") as a spare";
        }
    }

    /** Removes a member; when {@code wipePod} is set that pod and its volume are recreated afterwards. */
    record RemoveMember(long id, String pod, String reason, ClusterPhase phase, Optional<String> wipePod, String why)
            implements Step {
        public String describe() {
            return "removing member " + Long.toUnsignedString(id) + " (" + pod + "): " + why;
        }
    }

    record AssignRole(long id, String pod, MemberRole role, ClusterPhase phase, String why) implements Step {
        public String reason() {
            return "RoleAssigned";
        }

        public String describe() {
            return pod + " (id " + Long.toUnsignedString(id) + ") becomes " + role + ": " + why;
        }
    }

    record TransferLeadership(long fromId, long toId, String toPod, ClusterPhase phase, String why) implements Step {
        public String reason() {
            return "LeadershipTransferred";
        }

        public String describe() {
            return "moving leadership to " + toPod + " (id " + Long.toUnsignedString(toId) + "): " + why;
        }
    }

    /** Deletes a pod so the StatefulSet (OnDelete) recreates it from the current template. */
    record RestartPod(String pod, String why) implements Step {
        public ClusterPhase phase() {
            return ClusterPhase.Upgrading;
        }

        public String reason() {
            return "PodRestarted";
        }

        public String describe() {
            return "restarting " + pod + ": " + why;
        }
    }

    /** Something is under way that the operator only watches (pods starting, a member catching up). */
    record Wait(ClusterPhase phase, String why) implements Step {
        public String reason() {
            return "Waiting";
        }

        public String describe() {
            return why;
        }
    }

    /** Nothing to change. */
    record Stable() implements Step {
        public ClusterPhase phase() {
            return ClusterPhase.Running;
        }

        public String reason() {
            return "Stable";
        }

        public String describe() {
            return "all members healthy";
        }
    }
}

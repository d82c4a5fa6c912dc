package io.eventgateway.core.room;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.broker.EventDelivery;
import io.eventgateway.core.event.RoomEvent;

/**
 * The local members of every room on this instance. Fan-out reads an immutable member array, so it
 * takes no lock and never waits for a join or a leave.
 */
public final class RoomRegistry implements EventDelivery {

	private static final RoomMember[] NONE = new RoomMember[0];

	private final Map<String, RoomMember[]> rooms = new ConcurrentHashMap<>();

	/** Adds a member. Whether the broker must be told is {@link RoomInterest}'s decision. */
	public void add(String room, RoomMember member) {
		this.rooms.compute(room, (name, members) -> {
			if (members == null) {
				return new RoomMember[] { member };
			}
			RoomMember[] grown = Arrays.copyOf(members, members.length + 1);
			grown[members.length] = member;
			return grown;
		});
	}

	/** Removes a member; returns {@code false} when it was not (or no longer) a member. */
	public boolean remove(String room, RoomMember member) {
		boolean[] found = new boolean[1];
		this.rooms.computeIfPresent(room, (name, members) -> {
			int index = indexOf(members, member);
			if (index < 0) {
				return members;
			}
			found[0] = true;
			if (members.length == 1) {
				return null;
			}
			RoomMember[] shrunk = new RoomMember[members.length - 1];
			System.arraycopy(members, 0, shrunk, 0, index);
			System.arraycopy(members, index + 1, shrunk, index, members.length - index - 1);
			return shrunk;
		});
		return found[0];
	}

	@Override
	public void deliver(RoomEvent event) {
		for (RoomMember member : this.rooms.getOrDefault(event.room(), NONE)) {
			member.deliver(event);
		}
	}

	public int memberCount(String room) {
		return this.rooms.getOrDefault(room, NONE).length;
	}

	public int roomCount() {
		return this.rooms.size();
	}

	/** Users with local members in the room, each with its number of connections. */
	public Map<String, Integer> presence(String room) {
		Map<String, Integer> users = new TreeMap<>();
		for (RoomMember member : this.rooms.getOrDefault(room, NONE)) {
			users.merge(member.user(), 1, Integer::sum);
		}
		return users;
	}

	/** The rooms that have local members now. */
	public Set<String> rooms() {
		return Set.copyOf(this.rooms.keySet());
	}

	private static int indexOf(RoomMember[] members, RoomMember member) {
		for (int i = 0; i < members.length; i++) {
			if (members[i] == member) {
				return i;
			}
		}
		return -1;
	}

}

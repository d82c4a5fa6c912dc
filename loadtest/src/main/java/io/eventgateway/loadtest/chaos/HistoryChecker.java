package io.eventgateway.loadtest.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.eventgateway.loadtest.chaos.Observation.Ack;
import io.eventgateway.loadtest.chaos.Observation.Delivery;
import io.eventgateway.loadtest.chaos.Observation.Fault;
import io.eventgateway.loadtest.chaos.Observation.Final;
import io.eventgateway.loadtest.chaos.Observation.Join;
import io.eventgateway.loadtest.chaos.Observation.Joined;
import io.eventgateway.loadtest.chaos.Observation.Presence;
import io.eventgateway.loadtest.chaos.Observation.Publish;
import io.eventgateway.loadtest.chaos.Observation.Readiness;
import io.eventgateway.loadtest.chaos.Observation.Stored;
import io.eventgateway.loadtest.chaos.Violation.Kind;

/**
 * Judges a chaos run's history against the wire contract: what was acknowledged was stored once,
 * each room's seqs are gap-free with one event each, every subscriber that stayed or recovered
 * holds every stored event after its first join exactly once (a {@code recovered:false} answer
 * excuses the stretch it skipped), recoveries are whole or refused, presence has no ghosts, and
 * after a fault traffic resumes in time while readiness showed the fault.
 */
public final class HistoryChecker {

	/** Most violations listed per kind: one is enough to fail, a few show the pattern. */
	private static final int SHOWN_PER_KIND = 5;

	private final Duration resumeWithin;

	private final Duration readinessGrace;

	/**
	 * @param resumeWithin longest time from a fault's heal (or start, for one that never heals) to the
	 * next acknowledgement
	 * @param readinessGrace how long readiness may take to show a fault after it started
	 */
	public HistoryChecker(Duration resumeWithin, Duration readinessGrace) {
		this.resumeWithin = resumeWithin;
		this.readinessGrace = readinessGrace;
	}

	public Result check(List<Observation> history) {
		Result result = new Result();
		Map<String, TreeMap<Long, String>> stored = storedByRoom(history, result);
		checkAcks(history, stored, result);
		checkOneEventPerSeq(history, stored, result);
		checkSubscribers(history, stored, result);
		checkPresence(history, result);
		checkResume(history, result);
		checkReadiness(history, result);
		return result;
	}

	private static Map<String, TreeMap<Long, String>> storedByRoom(List<Observation> history, Result result) {
		Map<String, TreeMap<Long, String>> rooms = new TreeMap<>();
		Map<String, Long> seqOfId = new HashMap<>();
		for (Observation observation : history) {
			if (observation instanceof Stored s) {
				rooms.computeIfAbsent(s.room(), room -> new TreeMap<>()).put(s.seq(), s.id());
				if (s.id() != null) {
					Long earlier = seqOfId.putIfAbsent(s.room() + "/" + s.id(), s.seq());
					if (earlier != null) {
						result.add(Kind.STORED_TWICE, s.room() + " id " + s.id() + " stored at seq " + earlier + " and " + s.seq());
					}
				}
			}
		}
		rooms.forEach((room, events) -> {
			long expected = 1;
			for (long seq : events.keySet()) {
				if (seq != expected) {
					result.add(Kind.SEQ_GAP, room + " has seq " + seq + " after " + (expected - 1));
				}
				expected = seq + 1;
			}
		});
		return rooms;
	}

	private static void checkAcks(List<Observation> history, Map<String, TreeMap<Long, String>> stored, Result result) {
		Map<String, Long> ackedSeq = new HashMap<>();
		Set<String> published = new LinkedHashSet<>();
		for (Observation observation : history) {
			if (observation instanceof Publish p) {
				published.add(p.room() + "/" + p.id());
			}
			else if (observation instanceof Ack a) {
				result.acknowledged.add(a.room() + "/" + a.id());
				Long first = ackedSeq.putIfAbsent(a.room() + "/" + a.id(), a.seq());
				if (first != null && first != a.seq()) {
					result.add(Kind.STORED_TWICE, a.room() + " id " + a.id() + " acknowledged with seq " + first + " and " + a.seq());
				}
				String atSeq = stored.getOrDefault(a.room(), new TreeMap<>()).get(a.seq());
				if (!a.id().equals(atSeq)) {
					result.add(Kind.ACKED_NOT_STORED, a.room() + " id " + a.id() + " acknowledged as seq " + a.seq() + ", store holds "
							+ (atSeq == null ? "nothing" : atSeq) + " there");
				}
			}
		}
		for (String id : published) {
			if (!ackedSeq.containsKey(id)) {
				result.add(Kind.NEVER_ACKED, id);
			}
		}
		result.published = published.size();
	}

	private static void checkOneEventPerSeq(List<Observation> history, Map<String, TreeMap<Long, String>> stored, Result result) {
		Map<String, String> idAt = new HashMap<>();
		stored.forEach((room, events) -> events.forEach((seq, id) -> idAt.put(room + "/" + seq, String.valueOf(id))));
		for (Observation observation : history) {
			String room;
			long seq;
			String id;
			if (observation instanceof Delivery d) {
				room = d.room();
				seq = d.seq();
				id = d.id();
			}
			else if (observation instanceof Ack a) {
				room = a.room();
				seq = a.seq();
				id = a.id();
			}
			else {
				continue;
			}
			String first = idAt.putIfAbsent(room + "/" + seq, String.valueOf(id));
			if (first != null && !first.equals(String.valueOf(id))) {
				result.add(Kind.CONFLICTING_EVENT, room + " seq " + seq + " is " + first + " and " + id);
			}
		}
	}

	private static void checkSubscribers(List<Observation> history, Map<String, TreeMap<Long, String>> stored, Result result) {
		Map<String, Subscriber> subscribers = new LinkedHashMap<>();
		for (Observation observation : history) {
			if (observation instanceof Join j) {
				subscribers.computeIfAbsent(j.client(), c -> new Subscriber(j.room())).joins.put(j.conn(), j.since());
			}
			else if (observation instanceof Joined j) {
				Subscriber subscriber = subscribers.computeIfAbsent(j.client(), c -> new Subscriber(j.room()));
				subscriber.joined(j, result);
			}
			else if (observation instanceof Delivery d) {
				Subscriber subscriber = subscribers.computeIfAbsent(d.client(), c -> new Subscriber(d.room()));
				if (!subscriber.seen.add(d.seq())) {
					result.add(Kind.DUPLICATE_DELIVERY, d.client() + " took " + d.room() + " seq " + d.seq() + " twice");
				}
				else {
					result.delivered++;
				}
				subscriber.byConnection.computeIfAbsent(d.conn(), c -> new TreeSet<>()).add(d.seq());
			}
			else if (observation instanceof Final f && f.live()) {
				Subscriber subscriber = subscribers.get(f.client());
				if (subscriber == null || subscriber.firstSeq < 0) {
					result.add(Kind.MISSED_DELIVERY, f.client() + " is live at the end but never joined");
					continue;
				}
				for (long seq : stored.getOrDefault(f.room(), new TreeMap<>()).tailMap(subscriber.firstSeq, false).keySet()) {
					if (!subscriber.seen.contains(seq) && !subscriber.excused(seq)) {
						result.add(Kind.MISSED_DELIVERY, f.client() + " lacks " + f.room() + " seq " + seq);
						result.lost++;
					}
				}
			}
		}
		subscribers.forEach((client, subscriber) -> subscriber.checkRecoveries(client, result));
	}

	private static void checkPresence(List<Observation> history, Result result) {
		for (Observation observation : history) {
			if (observation instanceof Presence p && !p.observed().equals(p.expected())) {
				result.add(Kind.GHOST_PRESENCE, p.room() + ": " + differences(p.observed(), p.expected()));
			}
		}
	}

	private static String differences(Map<String, Integer> observed, Map<String, Integer> expected) {
		List<String> parts = new ArrayList<>();
		Set<String> users = new TreeSet<>(observed.keySet());
		users.addAll(expected.keySet());
		for (String user : users) {
			Integer seen = observed.get(user);
			Integer want = expected.get(user);
			if (seen == null || !seen.equals(want)) {
				parts.add(user + " shows " + (seen == null ? 0 : seen) + " connection(s), has " + (want == null ? 0 : want));
			}
		}
		return String.join("; ", parts);
	}

	private void checkResume(List<Observation> history, Result result) {
		for (Fault end : lastPhases(history)) {
			long firstAck = history.stream().filter(o -> o instanceof Ack && o.t() >= end.t()).mapToLong(Observation::t).min().orElse(-1);
			if (firstAck < 0) {
				result.add(Kind.LATE_RESUME, "no acknowledgement after " + end.name() + " " + end.phase() + " at " + end.t() + " ms");
				continue;
			}
			long took = firstAck - end.t();
			result.resumeMillis = Math.max(result.resumeMillis, took);
			if (took > this.resumeWithin.toMillis()) {
				result.add(Kind.LATE_RESUME, "first acknowledgement " + took + " ms after " + end.name() + " " + end.phase() + ", more than "
						+ this.resumeWithin.toMillis() + " ms");
			}
		}
	}

	/** Each fault's heal, or its start when it has none (a lost instance stays lost). */
	private static List<Fault> lastPhases(List<Observation> history) {
		Map<String, Fault> last = new LinkedHashMap<>();
		for (Observation observation : history) {
			if (observation instanceof Fault f) {
				last.put(f.name(), f);
			}
		}
		return List.copyOf(last.values());
	}

	private void checkReadiness(List<Observation> history, Result result) {
		Map<String, Fault> starts = new LinkedHashMap<>();
		Map<String, Fault> heals = new HashMap<>();
		for (Observation observation : history) {
			if (observation instanceof Fault f && f.readiness()) {
				(f.phase().equals("start") ? starts : heals).putIfAbsent(f.name(), f);
			}
		}
		Map<String, Boolean> lastReady = new HashMap<>();
		for (Observation observation : history) {
			if (observation instanceof Readiness r) {
				lastReady.put(r.instance(), r.ready());
			}
		}
		for (Fault start : starts.values()) {
			Fault heal = heals.get(start.name());
			long until = (heal == null ? Long.MAX_VALUE : heal.t()) + this.readinessGrace.toMillis();
			boolean shown = history.stream().anyMatch(o -> o instanceof Readiness r && !r.ready() && r.t() >= start.t() && r.t() <= until);
			if (!shown) {
				result.add(Kind.READINESS_BLIND, "no instance reported not ready during " + start.name());
			}
		}
		if (!starts.isEmpty()) {
			lastReady.forEach((instance, ready) -> {
				if (!ready) {
					result.add(Kind.READINESS_BLIND, instance + " still not ready at the end");
				}
			});
		}
	}

	/** One subscriber's joins, answers and deliveries, by connection. */
	private static final class Subscriber {

		final String room;

		final Map<Integer, Long> joins = new HashMap<>();

		final List<Joined> answers = new ArrayList<>();

		final Set<Long> seen = new HashSet<>();

		final Map<Integer, TreeSet<Long>> byConnection = new HashMap<>();

		/** Stretches (since, seq] a recovered:false answer skipped. */
		final List<long[]> excused = new ArrayList<>();

		long firstSeq = -1;

		Subscriber(String room) {
			this.room = room;
		}

		void joined(Joined joined, Result result) {
			this.answers.add(joined);
			long since = this.joins.getOrDefault(joined.conn(), -1L);
			if (this.firstSeq < 0) {
				this.firstSeq = since >= 0 ? since : joined.seq();
			}
			else if (!joined.recovered()) {
				this.excused.add(new long[] { since, joined.seq() });
				result.recoveredFalse++;
			}
			if (since >= 0 && joined.recovered()) {
				result.recoveries++;
			}
		}

		boolean excused(long seq) {
			return this.excused.stream().anyMatch(range -> seq > range[0] && seq <= range[1]);
		}

		void checkRecoveries(String client, Result result) {
			for (Joined joined : this.answers) {
				long since = this.joins.getOrDefault(joined.conn(), -1L);
				if (since < 0) {
					continue;
				}
				Set<Long> replayed = this.byConnection.getOrDefault(joined.conn(), new TreeSet<>()).headSet(joined.seq(), true);
				if (joined.recovered()) {
					long expected = Math.max(0, joined.seq() - since);
					boolean whole = replayed.size() == expected && (expected == 0 || replayed.contains(since + 1) && replayed.contains(joined.seq()));
					if (!whole) {
						result.add(Kind.PARTIAL_RECOVERY, client + " conn " + joined.conn() + " since " + since + " joined at " + joined.seq()
								+ " with recovered:true but replayed " + replayed.size() + " event(s)");
					}
				}
				else if (!replayed.isEmpty()) {
					result.add(Kind.PARTIAL_RECOVERY, client + " conn " + joined.conn() + " answered recovered:false after a replay of "
							+ replayed.size() + " event(s)");
				}
			}
		}

	}

	/** The violations found, by kind, and the figures a report shows. */
	public static final class Result {

		private final Map<Kind, List<String>> violations = new TreeMap<>();

		private final Map<Kind, Integer> counts = new TreeMap<>();

		final Set<String> acknowledged = new HashSet<>();

		long published;

		long delivered;

		long lost;

		long recoveries;

		long recoveredFalse;

		long resumeMillis = -1;

		void add(Kind kind, String detail) {
			this.counts.merge(kind, 1, Integer::sum);
			List<String> shown = this.violations.computeIfAbsent(kind, k -> new ArrayList<>());
			if (shown.size() < SHOWN_PER_KIND) {
				shown.add(detail);
			}
		}

		public boolean passed() {
			return this.counts.isEmpty();
		}

		public int count(Kind kind) {
			return this.counts.getOrDefault(kind, 0);
		}

		public Map<Kind, List<String>> violations() {
			return this.violations;
		}

		public long published() {
			return this.published;
		}

		public long acknowledged() {
			return this.acknowledged.size();
		}

		/** Distinct (subscriber, seq) deliveries. */
		public long delivered() {
			return this.delivered;
		}

		/** Stored events a live subscriber lacks, plus acknowledged events the store lacks. */
		public long lost() {
			return this.lost + count(Kind.ACKED_NOT_STORED);
		}

		public long duplicated() {
			return count(Kind.DUPLICATE_DELIVERY) + count(Kind.STORED_TWICE);
		}

		public long recoveries() {
			return this.recoveries;
		}

		public long recoveredFalse() {
			return this.recoveredFalse;
		}

		/** Longest wait for the first acknowledgement after a fault ended; -1 without a fault. */
		public long resumeMillis() {
			return this.resumeMillis;
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder();
			this.violations.forEach((kind, details) -> text.append(kind).append(" ×").append(this.counts.get(kind)).append(": ")
				.append(String.join(" | ", details)).append('\n'));
			return text.length() == 0 ? "no violation" : text.toString();
		}

	}

}

package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * The public keys of one JWKS document that can check an RS256 or ES256 signature, by algorithm
 * and {@code kid}. Immutable: a new document makes a new set. Keys meant for encryption, keys
 * without a {@code kid}, RSA keys under 2048 bits, EC keys off P-256 and keys whose {@code alg}
 * names another algorithm are left out.
 */
public final class SigningKeys {

	public static final SigningKeys NONE = new SigningKeys(Map.of());

	private static final int MIN_RSA_BITS = 2048;

	private final Map<KeyName, JWSVerifier> verifiers;

	private SigningKeys(Map<KeyName, JWSVerifier> verifiers) {
		this.verifiers = Map.copyOf(verifiers);
	}

	/** Reads a JWKS document ({@code {"keys":[…]}}); a document that is not one is refused whole. */
	public static SigningKeys parse(String document) throws ParseException {
		Map<KeyName, JWSVerifier> verifiers = new HashMap<>();
		for (JWK key : JWKSet.parse(document).getKeys()) {
			JWSAlgorithm algorithm = algorithmOf(key);
			JWSVerifier verifier = (algorithm != null) ? verifierOf(key.toPublicJWK()) : null;
			if (verifier != null) {
				// The first of two keys with one kid wins, as a set with duplicates is ambiguous anyway.
				verifiers.putIfAbsent(new KeyName(algorithm, key.getKeyID()), verifier);
			}
		}
		SigningKeys keys = new SigningKeys(verifiers);
		keys.warmUp();
		return keys;
	}

	/** The algorithm a key signs with, or {@code null} for a key that cannot check tokens here. */
	private static JWSAlgorithm algorithmOf(JWK key) {
		if (key.getKeyID() == null || (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse()))) {
			return null;
		}
		JWSAlgorithm algorithm = null;
		if (key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
			algorithm = JWSAlgorithm.RS256;
		}
		else if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
			algorithm = JWSAlgorithm.ES256;
		}
		Algorithm declared = key.getAlgorithm();
		// A key that names its algorithm is used for that one alone (RFC 7517, section 4.4).
		return (declared == null || declared.equals(algorithm)) ? algorithm : null;
	}

	/** A verifier, or {@code null} for a key whose numbers make no public key: one bad key spoils no other. */
	private static JWSVerifier verifierOf(JWK key) {
		try {
			return (key instanceof RSAKey rsa) ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
		}
		catch (JOSEException ex) {
			return null;
		}
	}

	public boolean contains(JWSAlgorithm algorithm, String kid) {
		return this.verifiers.containsKey(new KeyName(algorithm, kid));
	}

	/** Whether both sets hold the same algorithms and key ids (the keys themselves may differ). */
	public boolean sameKeysAs(SigningKeys other) {
		return this.verifiers.keySet().equals(other.verifiers.keySet());
	}

	public int size() {
		return this.verifiers.size();
	}

	/**
	 * Whether the key {@code kid} signed {@code signingInput} ({@code header.payload}) with
	 * {@code signature}; {@code false} also for a key this set does not have.
	 */
	public boolean verify(JWSAlgorithm algorithm, String kid, String signingInput, byte[] signature) {
		JWSVerifier verifier = this.verifiers.get(new KeyName(algorithm, kid));
		if (verifier == null) {
			return false;
		}
		try {
			return verifier.verify(new JWSHeader(algorithm), signingInput.getBytes(StandardCharsets.US_ASCII),
					Base64URL.encode(signature));
		}
		catch (JOSEException ex) {
			return false;
		}
	}

	// The JDK loads its signature providers on their first use, reading jars: done here, off the
	// event loops, rather than in the first handshake that needs them.
	private void warmUp() {
		for (KeyName name : this.verifiers.keySet()) {
			byte[] signature = new byte[JWSAlgorithm.ES256.equals(name.algorithm()) ? 64 : 256];
			Arrays.fill(signature, (byte) 1);
			verify(name.algorithm(), name.kid(), "e30.e30", signature);
		}
	}

	private record KeyName(JWSAlgorithm algorithm, String kid) {
	}

}

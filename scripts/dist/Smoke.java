import com.cpaas.reseller.Client;
import com.cpaas.reseller.Emulator;
import com.cpaas.reseller.EmulatorOptions;
import com.cpaas.reseller.ResellerException;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;

/**
 * scripts/dist/verify-jvm.sh: the released jar in a JVM of another architecture. Starts the
 * library's emulator on 127.0.0.1, then creates an account, reads it, allocates credit and reads
 * it back through the raw {@code call} escape hatch (plain strings, so this needs nothing but the
 * jar), and checks that a bad request and a locally refused one surface as typed exceptions.
 */
public final class Smoke {
    /** A suspend function seen from Java; the generated methods declare {@code ResellerException}. */
    private interface Suspending<T> {
        Object invoke(Continuation<? super T> continuation) throws Exception;
    }

    private static <T> T blocking(Suspending<T> call) throws Exception {
        return BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, continuation) -> {
            try {
                return call.invoke(continuation);
            } catch (Exception e) {
                throw Smoke.<RuntimeException>rethrow(e);
            }
        });
    }

    /** Rethrows a checked exception through kotlin's Function2, which declares none, unchanged. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static long field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        check(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    public static void main(String[] args) throws Exception {
        System.out.println("os.arch=" + System.getProperty("os.arch") + " java.version=" + System.getProperty("java.version"));
        try (Emulator emulator = new Emulator((EmulatorOptions) null); Client client = new Client(emulator.clientConfig())) {
            System.out.println("emulator at " + client.baseUrl());
            String roles = blocking(c -> client.call("GetRoles", null, c));
            check(roles.contains("\"Roles\":[{"), "roles: " + roles);

            String created = blocking(c -> client.call("CreateAccount", "{\"AccountName\":\"Arm64 Ltd\",\"CountryCode\":\"GB\"}", c));
            long accountId = field(created, "AccountId");
            String fetched = blocking(c -> client.call("GetAccount", "{\"AccountId\":" + accountId + "}", c));
            check(fetched.contains("\"AccountName\":\"Arm64 Ltd\""), "account: " + fetched);
            System.out.println("CreateAccount/GetAccount: account " + accountId + " " + fetched);

            blocking(c -> client.call("AllocateCredit", "{\"AccountId\":" + accountId + ",\"Amount\":12.345,\"Reference\":\"ARM64-1\"}", c));
            String allocations = blocking(c -> client.call("GetCreditAllocations", "{\"AccountId\":" + accountId + "}", c));
            check(allocations.contains("\"Amount\":12.345") && allocations.contains("\"Reference\":\"ARM64-1\""), "allocations: " + allocations);
            System.out.println("AllocateCredit/GetCreditAllocations: " + allocations);

            try {
                blocking(c -> client.call("GetAccount", "{\"AccountId\":987654321}", c));
                throw new AssertionError("GetAccount of a missing account succeeded");
            } catch (ResellerException.BadRequest e) {
                System.out.println("missing account: BadRequest: " + e.getMessage());
            }
            try {
                blocking(c -> client.call("GetAccount", "{not json", c));
                throw new AssertionError("a body that is not JSON was sent");
            } catch (ResellerException.Validation e) {
                System.out.println("bad body: Validation: " + e.getMessage());
            }
        }
        System.out.println(System.getProperty("os.arch") + " JVM smoke: ok");
    }
}

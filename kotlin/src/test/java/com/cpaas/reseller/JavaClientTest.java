package com.cpaas.reseller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kotlin.coroutines.Continuation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Java facade as a Java application uses it, against the emulator the library embeds. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaClientTest {
    private Emulator emulator;
    private JavaClient client;

    @BeforeAll
    void start() throws Exception {
        emulator = Emulators.start();
        client = JavaClientBuilder.from(emulator.clientConfig())
                .timeout(Duration.ofSeconds(20))
                .connectTimeout(Duration.ofSeconds(5))
                .maxRetries(1)
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20))
                .build();
    }

    @AfterAll
    void stop() throws ResellerException {
        client.close();
        emulator.shutdown();
        emulator.close();
    }

    @BeforeEach
    void reset() throws ResellerException {
        emulator.reset();
    }

    @Test
    void createGetAndAllocateBlocking() throws Exception {
        Account created = client.createAccount(new CreateAccountRequest("Java Ltd", 1001, null, "GB", null, null));
        assertEquals("Java Ltd", created.getAccountName());
        assertEquals(1001, created.getParentAccountId());
        assertEquals(AccountStatus.Active.INSTANCE, created.getStatus());
        assertEquals(1L, Emulators.calls(emulator, "CreateAccount"));

        Account read = client.getAccount(new GetAccountRequest(created.getAccountId()));
        assertEquals(created, read);

        CreditBalance before = client.getCreditBalance(new GetCreditBalanceRequest(1001));
        CreditAllocation allocation =
                client.allocateCredit(new AllocateCreditRequest(1001, new BigDecimal("12.50"), "java-001"));
        assertEquals(new BigDecimal("12.50"), allocation.getAmount());
        assertEquals(0, before.getBalance().add(new BigDecimal("12.50")).compareTo(allocation.getBalanceAfter()));

        List<InboundNumber> available = client.getAvailableInboundNumbers(
                new GetAvailableInboundNumbersRequest("GB", NumberType.LongCode.INSTANCE)).getNumbers();
        String number = available.get(0).getNumber();
        InboundNumber allocated = client.allocateInboundNumber(new AllocateInboundNumberRequest(1001, number));
        assertEquals(Integer.valueOf(1001), allocated.getAccountId());
        client.releaseInboundNumber(new ReleaseInboundNumberRequest(1001, number)); // a void operation
    }

    @Test
    void futuresCompleteWithResultsAndFailWithTheTypedException() throws Exception {
        CompletableFuture<Account> account = client.getAccountAsync(new GetAccountRequest(1001));
        CompletableFuture<CreditBalance> balance = client.getCreditBalanceAsync(new GetCreditBalanceRequest(1001));
        assertEquals(1001, account.get(20, TimeUnit.SECONDS).getAccountId());
        assertEquals("GBP", balance.get(20, TimeUnit.SECONDS).getCurrency());

        CompletableFuture<Void> done = client.assignRoleToUserAsync(new AssignRoleToUserRequest(102, 4));
        assertNull(done.get(20, TimeUnit.SECONDS));

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.getUserAsync(new GetUserRequest(987654)).get(20, TimeUnit.SECONDS));
        ResellerException.BadRequest cause = assertInstanceOf(ResellerException.BadRequest.class, failed.getCause());
        assertEquals("User 987654 not found.", cause.getHttp().getMessage());
    }

    @Test
    void serviceErrorsAreCaughtByType() throws Exception {
        try {
            client.getUser(new GetUserRequest(987654));
            fail("a missing user must fail");
        } catch (ResellerException.Authentication | ResellerException.Server e) {
            fail("wrong type: " + e);
        } catch (ResellerException.BadRequest e) {
            HttpError http = e.getHttp();
            assertEquals("GetUser", http.getMethod());
            assertEquals("ArgumentFaultContract", http.getErrorType());
            assertEquals("User 987654 not found.", http.getMessage());
            assertTrue(http.getBodyExcerpt().contains("987654"), http.getBodyExcerpt());
            assertEquals("GetUser", ResellerExceptions.method(e));
            assertEquals(Integer.valueOf(400), ResellerExceptions.httpStatus(e));
            assertEquals(1, ResellerExceptions.attempts(e));
            assertEquals("bad_request", e.kind());
            assertFalse(e.isOutcomeUnknown());
            assertTrue(e.toString().contains("GetUser"), e.toString());
        }

        emulator.injectFaultJson("{\"method\":\"AllocateCredit\",\"times\":1,\"kind\":\"status\",\"status\":504,\"apply\":true}");
        try {
            client.allocateCredit(new AllocateCreditRequest(1001, new BigDecimal("1.00"), "java-504"));
            fail("the injected 504 must fail");
        } catch (ResellerException e) { // any subclass: the shared fields need no instanceof
            assertEquals("gateway_timeout", e.kind());
            assertTrue(e.isOutcomeUnknown(), "a 504 on a mutating call leaves its outcome unknown");
            HttpError http = ResellerExceptions.http(e);
            assertNotNull(http);
            assertTrue(http.getOutcomeUnknown());
            assertEquals("TimeoutFaultContract", http.getErrorType());
            assertEquals(Integer.valueOf(504), ResellerExceptions.httpStatus(e));
            assertNull(ResellerExceptions.transport(e), "an HTTP answer is no transport failure");
            assertEquals(1L, Emulators.calls(emulator, "AllocateCredit"), "never replayed");
        }
    }

    @Test
    void aTimeoutCarriesItsTransportRecord() throws Exception {
        emulator.injectFaultJson("{\"method\":\"AllocateCredit\",\"times\":1,\"kind\":\"delay\",\"millis\":3000}");
        try (JavaClient impatient = JavaClientBuilder.from(emulator.clientConfig())
                .timeout(Duration.ofMillis(300))
                .maxRetries(0)
                .build()) {
            impatient.allocateCredit(new AllocateCreditRequest(1001, new BigDecimal("1.00"), "java-timeout"));
            fail("the delayed call must time out");
        } catch (ResellerException.Timeout e) {
            TransportError transport = e.getTransport();
            assertEquals("AllocateCredit", transport.getMethod());
            assertFalse(transport.getMessage().isEmpty());
            assertTrue(transport.getOutcomeUnknown(), "the request was sent: it may have been applied");
            assertEquals(transport, ResellerExceptions.transport(e));
            assertEquals(1, ResellerExceptions.attempts(e));
            assertNull(ResellerExceptions.http(e));
            assertTrue(e.isOutcomeUnknown());
        }
    }

    @Test
    void validationErrorsNameTheFieldAndSendNothing() throws Exception {
        try {
            client.allocateCredit(new AllocateCreditRequest(1001, BigDecimal.ZERO, "java-zero"));
            fail("a zero amount must fail validation");
        } catch (ResellerException.Validation e) {
            assertEquals("Amount", e.getField());
            assertEquals("AllocateCredit", e.getMethod());
            assertNull(ResellerExceptions.http(e));
            assertNull(ResellerExceptions.httpStatus(e));
            assertEquals(0, ResellerExceptions.attempts(e));
        }
        assertEquals(0L, Emulators.calls(emulator, "AllocateCredit"));

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.allocateCreditAsync(new AllocateCreditRequest(1001, new BigDecimal("-5"), null)).get());
        assertEquals("Amount", assertInstanceOf(ResellerException.Validation.class, failed.getCause()).getField());
    }

    @Test
    void theBuilderRefusesWhatTheOptionsCannotHoldAndTheCoreRefusesTheRest() {
        JavaClientBuilder builder = JavaClient.builder("api-user", "pa55word-XYZZY");
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("timeout"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.maxRetries(-1));

        ResellerException.Validation invalid = assertThrows(ResellerException.Validation.class,
                () -> JavaClient.builder("api-user", "pa55word-XYZZY").baseUrl("http://example.com/api").build());
        assertTrue(invalid.toString().contains("http"), invalid.toString());
        assertFalse(builder.config().toString().contains("XYZZY"), "the password never shows");
    }

    @Test
    void logsReachSlf4jAndAJavaListener() throws Exception {
        Captured.INSTANCE.setThreshold(org.slf4j.event.Level.DEBUG);
        try {
            Slf4jLogListener.install();
            emulator.injectFaultJson("{\"method\":\"GetAccount\",\"times\":1,\"kind\":\"status\",\"status\":500,\"apply\":false}");
            assertEquals(1001, client.getAccount(new GetAccountRequest(1001)).getAccountId());
            assertTrue(Logs.flush(Duration.ofSeconds(10)));
            List<CapturedEvent> events = Captured.INSTANCE.getEvents();
            assertEquals(2, events.size(), events.toString());
            CapturedEvent retried = events.get(0);
            assertEquals(org.slf4j.event.Level.WARN, retried.getLevel());
            assertEquals("GetAccount", retried.getKeyValues().get("method"));
            assertEquals(1L, retried.getKeyValues().get("attempt"));
            assertEquals(500, retried.getKeyValues().get("status"));

            List<LogRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Logs.set(seen::add, LogLevel.DEBUG);
            client.getRoles(new GetRolesRequest());
            assertTrue(Logs.flush(Duration.ofSeconds(10)));
            assertEquals(1, seen.size());
            assertEquals(1, Logs.attempt(seen.get(0)));
            assertEquals(200, Logs.status(seen.get(0)));
            assertTrue(Logs.durationMs(seen.get(0)) >= 0);
            assertNull(Logs.waitMs(seen.get(0)));
            assertEquals(0L, Logs.droppedRecords());
        } finally {
            Logs.clear();
            Captured.INSTANCE.reset();
        }
    }

    @Test
    void cancellingAFutureCancelsTheCall() throws Exception {
        emulator.injectFaultJson("{\"method\":\"GetAccount\",\"times\":1,\"kind\":\"delay\",\"millis\":10000}");
        CompletableFuture<Account> slow = client.getAccountAsync(new GetAccountRequest(1001));
        Thread.sleep(300); // the request is on the wire, held by the emulator's delay
        long start = System.nanoTime();
        assertTrue(slow.cancel(true));
        assertTrue(slow.isCancelled());
        assertThrows(CancellationException.class, slow::join);
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "cancel returns at once");

        long again = System.nanoTime();
        assertEquals(1001, client.getAccount(new GetAccountRequest(1001)).getAccountId());
        assertTrue(System.nanoTime() - again < 5_000_000_000L, "the client stays usable");
    }

    /** Every suspend operation of the Kotlin client has a blocking and a future method here. */
    @Test
    void everyOperationHasBothForms() {
        List<String> operations = Arrays.stream(Client.class.getMethods())
                .filter(m -> m.getParameterCount() > 0
                        && m.getParameterTypes()[m.getParameterCount() - 1] == Continuation.class)
                .map(Method::getName)
                .distinct()
                .sorted()
                .collect(Collectors.toList());
        // Not a count: the operation list lives in the core's catalogue, and bulk methods add to it.
        assertTrue(operations.containsAll(List.of("call", "createAccount", "getChargeableActivity", "bulkAllocateCredit")),
                "the reflection found the client's suspend methods: " + operations);
        List<String> facade = Arrays.stream(JavaClient.class.getMethods()).map(Method::getName).collect(Collectors.toList());
        for (String operation : operations) {
            assertTrue(facade.contains(operation), operation);
            assertTrue(facade.contains(operation + "Async"), operation + "Async");
        }
        for (Method method : JavaClient.class.getMethods()) {
            assertFalse(method.getName().contains("-"), "a mangled (unsigned) signature: " + method);
        }
    }
}

package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.all;
import static dev.ferry.helm.HelmChart.configData;
import static dev.ferry.helm.HelmChart.cronJob;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.decode;
import static dev.ferry.helm.HelmChart.ferryContainer;
import static dev.ferry.helm.HelmChart.notes;
import static dev.ferry.helm.HelmChart.one;
import static dev.ferry.helm.HelmChart.parseAll;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.template;
import static dev.ferry.helm.HelmChart.values;
import static dev.ferry.helm.HelmChart.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryConfig.AuthMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;

/**
 * Credentials and TLS through the chart: each auth mode mounts its credential from a Secret as a file on a
 * read-only volume and points the mode's {@code -file} property at it, so that no secret value is ever an
 * environment variable, in the ConfigMap or anywhere in the rendered manifests but a (development) Secret; the CA
 * bundle comes from a ConfigMap or a Secret and the client certificate from a kubernetes.io/tls Secret; the schema
 * refuses a mode without its Secret. What the application reads is checked by building its configuration from the
 * rendered ConfigMap, as SmallRye Config does.
 */
class HelmAuthTest {

    /** 0440: owner and group (the pod's fsGroup) read. */
    static final int READ_BY_OWNER_AND_GROUP = 0440;

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    // ---------------------------------------------------------------- the four modes with a secret

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bearer  | bearer | bearer-token         | {}",
            "oauth2  | oauth2 | oauth2-client-secret | {oauth2: {tokenUrl: \"https://login.example.test/token\", clientId: ferry}}",
            "api-key | apiKey | api-key              | {}",
            "basic   | basic  | basic-password       | {basic: {username: ferry}}"})
    void mode_mountsItsExistingSecretReadOnly_andTheApplicationReadsTheFile(String mode, String block, String file,
            String targetSettings) throws IOException {
        List<HasMetadata> resources = render(values(tmp, """
                config: {target: %s}
                auth: {mode: %s, %s: {existingSecret: partner-credentials, existingSecretKey: credential}}
                verify: {enabled: true}
                """.formatted(targetSettings, mode, block)));

        FerryConfig.Target target = applicationTarget(resources);
        String path = "/etc/ferry/secrets/" + file;
        assertThat(target.auth()).contains(AuthMode.valueOf(mode.toUpperCase().replace('-', '_')));
        assertThat(fileOf(target, mode)).as("the mode's -file property").hasToString(path);

        for (PodSpec pod : List.of(cronJobPod(resources), verifyPod(resources))) {
            Volume auth = volume(pod, "auth");
            assertThat(auth.getSecret().getSecretName()).isEqualTo("partner-credentials");
            assertThat(auth.getSecret().getDefaultMode()).isEqualTo(READ_BY_OWNER_AND_GROUP);
            assertThat(auth.getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                    .containsExactly(tuple("credential", file));
            assertThat(mount(pod, "auth")).satisfies(mount -> {
                assertThat(mount.getMountPath() + "/" + file).isEqualTo(path);
                assertThat(mount.getReadOnly()).isTrue();
                assertThat(mount.getSubPath()).as("a whole volume, updated in place on rotation").isNull();
            });
        }
        assertThat(all(resources, Secret.class)).as("no chart-created Secret").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bearer  | bearer | token        | bearer-token         | {}",
            "oauth2  | oauth2 | clientSecret | oauth2-client-secret | {oauth2: {tokenUrl: \"https://login.example.test/token\", clientId: ferry}}",
            "api-key | apiKey | value        | api-key              | {}",
            "basic   | basic  | password     | basic-password       | {basic: {username: ferry}}"})
    void developmentValue_isOnlyInTheChartSecret_neverInPlainTextEnvironmentOrNotes(String mode, String block,
            String inline, String file, String targetSettings) {
        String credential = "s3cr3t-" + mode + "-value";
        Path valuesFile = values(tmp, """
                config: {target: %s}
                auth: {mode: %s, %s: {%s: %s}}
                verify: {enabled: true}
                """.formatted(targetSettings, mode, block, inline, credential));
        String rendered = template(valuesFile);
        List<HasMetadata> resources = parseAll(rendered);

        Secret secret = one(resources, Secret.class);
        assertThat(secret.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(secret.getData()).containsOnlyKeys(file);
        assertThat(decode(secret.getData().get(file))).isEqualTo(credential);
        assertThat(volume(cronJobPod(resources), "auth").getSecret().getSecretName()).isEqualTo(FULLNAME);

        assertThat(rendered).as("the value in plain text anywhere").doesNotContain(credential);
        assertThat(configData(resources).values()).noneMatch(value -> value.contains(credential));
        assertThat(ferryContainer(cronJobPod(resources)).getEnv())
                .noneMatch(env -> credential.equals(env.getValue()) || env.getValueFrom() != null
                        && env.getValueFrom().getSecretKeyRef() != null);
        assertThat(notes(valuesFile)).doesNotContain(credential)
                .contains("WARNING: the " + mode + " credential is a Helm value (auth." + block + "." + inline + ")");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bearer  | bearer | {}",
            "oauth2  | oauth2 | {oauth2: {tokenUrl: \"https://login.example.test/token\", clientId: ferry}}",
            "api-key | apiKey | {}",
            "basic   | basic  | {basic: {username: ferry}}"})
    void schema_refusesAMode_withoutItsSecret(String mode, String block, String targetSettings) {
        Path file = values(tmp, "config: {target: %s}\nauth: {mode: %s}\n".formatted(targetSettings, mode));
        assertThatThrownBy(() -> render(file))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("/auth/" + block + "/existingSecret");
    }

    @Test
    void schema_refusesASecretReference_whenAuthModeIsAnother() {
        Path file = values(tmp, "auth: {mode: none, apiKey: {existingSecret: partner-api-key}}\n");
        assertThatThrownBy(() -> render(file)).hasMessageContaining("/auth/mode").hasMessageContaining("api-key");
    }

    @Test
    void schema_refusesOauth2_withoutTokenUrlAndClientId() {
        Path file = values(tmp, "auth: {mode: oauth2, oauth2: {existingSecret: ferry-oauth2}}\n");
        assertThatThrownBy(() -> render(file))
                .hasMessageContaining("/config/target/oauth2/tokenUrl")
                .hasMessageContaining("/config/target/oauth2/clientId");
    }

    @Test
    void schema_refusesBasic_withoutUsername() {
        Path file = values(tmp, "auth: {mode: basic, basic: {existingSecret: ferry-basic}}\n");
        assertThatThrownBy(() -> render(file)).hasMessageContaining("/config/target/basic/username");
    }

    @Test
    void schema_refusesConfigTargetSettings_thatAuthSets() {
        Path mode = values(tmp, "auth: {mode: none}\nconfig: {target: {auth: bearer}}\n");
        assertThatThrownBy(() -> render(mode)).hasMessageContaining("/config/target/auth");
        Path file = values(tmp, """
                auth: {mode: bearer, bearer: {existingSecret: t}}
                config: {target: {bearerTokenFile: /somewhere/else}}
                """);
        assertThatThrownBy(() -> render(file)).hasMessageContaining("/config/target/bearerTokenFile");
    }

    @Test
    void existingSecret_winsOverTheDevelopmentValue_whenBothSet() {
        String token = "inline-token-ignored";
        String rendered = template(values(tmp, "auth: {mode: bearer, bearer: {token: %s, existingSecret: vault-synced}}\n"
                .formatted(token)));
        List<HasMetadata> resources = parseAll(rendered);
        assertThat(all(resources, Secret.class)).isEmpty();
        assertThat(volume(cronJobPod(resources), "auth").getSecret().getSecretName()).isEqualTo("vault-synced");
        assertThat(rendered).doesNotContain(token);
    }

    @Test
    void modeNone_setsTheModeAndMountsNothing() throws IOException {
        List<HasMetadata> resources = render(values(tmp, "auth: {mode: none}\n"));
        assertThat(applicationTarget(resources).auth())
                .contains(AuthMode.NONE);
        assertThat(cronJobPod(resources).getVolumes()).extracting(Volume::getName).doesNotContain("auth");
        assertThat(all(resources, Secret.class)).isEmpty();
    }

    @Test
    void noCredentials_andNoSecretInTheEnvironment_withDefaultValues() {
        List<HasMetadata> resources = render();
        assertThat(configData(resources)).doesNotContainKeys("FERRY_TARGET_AUTH", "FERRY_TARGET_BEARER_TOKEN_FILE");
        assertThat(cronJobPod(resources).getVolumes()).extracting(Volume::getName).doesNotContain("auth", "tls");
        assertThat(ferryContainer(cronJobPod(resources)).getEnv()).noneMatch(env -> env.getName().contains("TOKEN"));
        assertThat(all(resources, Secret.class)).isEmpty();
    }

    @Test
    void notes_nameTheModeAndWhereTheCredentialComesFrom() {
        String notes = notes(HelmChart.CHART.resolve("ci/existing-secret-values.yaml"));
        assertThat(notes)
                .contains("auth:  bearer, the credential from Secret records-api-token (key api-token)")
                .contains("mounted read-only at /etc/ferry/secrets/bearer-token")
                .contains("check Secret records-api-token (key api-token)")
                .doesNotContain("WARNING: the bearer credential is a Helm value");
    }

    // ---------------------------------------------------------------- TLS

    @Test
    void caBundle_fromAConfigMap_isTrustedThroughTheCaFile() throws IOException {
        List<HasMetadata> resources = render(values(tmp, "tls: {caBundle: {configMap: corporate-ca, key: bundle.pem}}\n"));

        assertThat(applicationTarget(resources).tls().caFile()).hasValue(Path.of("/etc/ferry/tls/ca.crt"));
        Volume tls = volume(cronJobPod(resources), "tls");
        assertThat(tls.getProjected().getDefaultMode()).isEqualTo(READ_BY_OWNER_AND_GROUP);
        assertThat(tls.getProjected().getSources()).singleElement().satisfies(source -> {
            assertThat(source.getSecret()).isNull();
            assertThat(source.getConfigMap().getName()).isEqualTo("corporate-ca");
            assertThat(source.getConfigMap().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                    .containsExactly(tuple("bundle.pem", "ca.crt"));
        });
        assertThat(mount(cronJobPod(resources), "tls")).satisfies(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/ferry/tls");
            assertThat(mount.getReadOnly()).isTrue();
        });
    }

    @Test
    void caBundle_fromASecret_isTrustedThroughTheCaFile() throws IOException {
        List<HasMetadata> resources = render(values(tmp, "tls: {caBundle: {secret: partner-ca}}\n"));

        assertThat(applicationTarget(resources).tls().caFile()).hasValue(Path.of("/etc/ferry/tls/ca.crt"));
        assertThat(volume(cronJobPod(resources), "tls").getProjected().getSources()).singleElement().satisfies(source -> {
            assertThat(source.getConfigMap()).isNull();
            assertThat(source.getSecret().getName()).isEqualTo("partner-ca");
            assertThat(source.getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                    .containsExactly(tuple("ca.crt", "ca.crt"));
        });
    }

    @Test
    void schema_refusesACaBundle_fromAConfigMapAndASecretAtOnce() {
        Path file = values(tmp, "tls: {caBundle: {configMap: corporate-ca, secret: partner-ca}}\n");
        assertThatThrownBy(() -> render(file)).hasMessageContaining("/tls/caBundle/secret");
    }

    @Test
    void clientCert_fromATlsSecret_isTheCertAndKeyFileOfMutualTls_besideTheCaBundle() throws IOException {
        List<HasMetadata> resources = render(HelmChart.CHART.resolve("ci/mtls-values.yaml"));

        FerryConfig.Tls tls = applicationTarget(resources).tls();
        assertThat(tls.caFile()).hasValue(Path.of("/etc/ferry/tls/ca.crt"));
        assertThat(tls.certFile()).hasValue(Path.of("/etc/ferry/tls/client.crt"));
        assertThat(tls.keyFile()).hasValue(Path.of("/etc/ferry/tls/client.key"));
        assertThat(tls.verifyHostname()).isTrue();
        List<VolumeProjection> sources = volume(cronJobPod(resources), "tls").getProjected().getSources();
        assertThat(sources).extracting(source -> source.getSecret().getName()).containsExactly("partner-ca", "ferry-client-tls");
        assertThat(sources.get(1).getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(tuple("tls.crt", "client.crt"),
                        tuple("tls.key", "client.key"));
    }

    @Test
    void schema_refusesTlsFiles_inConfigTarget_thatTlsMounts() {
        Path file = values(tmp, """
                tls: {clientCert: {existingSecret: ferry-client-tls}}
                config: {target: {tls: {keyFile: /elsewhere/client.key}}}
                """);
        assertThatThrownBy(() -> render(file)).hasMessageContaining("/config/target/tls/keyFile");
    }

    @Test
    void notes_nameTheTlsSources_andWarnWhenHostnameVerificationIsOff() {
        String notes = notes(values(tmp, """
                tls: {caBundle: {configMap: corporate-ca}, clientCert: {existingSecret: ferry-client-tls}}
                config: {target: {tls: {verifyHostname: false}}}
                """));
        assertThat(notes)
                .contains("CA bundle from ConfigMap corporate-ca (key ca.crt) at /etc/ferry/tls/ca.crt")
                .contains("client certificate from Secret ferry-client-tls (tls.crt, tls.key)")
                .contains("hostname verification is OFF");
    }

    // ---------------------------------------------------------------- helpers

    private static Path fileOf(FerryConfig.Target target, String mode) {
        return switch (mode) {
            case "bearer" -> target.bearerTokenFile().orElseThrow();
            case "oauth2" -> target.oauth2().clientSecretFile().orElseThrow();
            case "api-key" -> target.apiKey().valueFile().orElseThrow();
            case "basic" -> target.basic().passwordFile().orElseThrow();
            default -> throw new AssertionError(mode);
        };
    }

    /** ferry.target.* as the application reads it from the rendered ConfigMap. */
    private static FerryConfig.Target applicationTarget(List<HasMetadata> resources) throws IOException {
        return HelmChart.asTheApplicationReadsIt(resources).getConfigMapping(FerryConfig.class).target();
    }

    private static PodSpec verifyPod(List<HasMetadata> resources) {
        return cronJob(resources, FULLNAME + "-verify").getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    private static VolumeMount mount(PodSpec pod, String volume) {
        return ferryContainer(pod).getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume));
    }
}

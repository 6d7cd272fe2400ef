package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json turns a mistake in the values into a refusal at install time that names the value. */
class HelmSchemaTest {

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("mode: banana\n", "mode"),
                Arguments.of("config: {delivery: {concurrency: 0}}\n", "concurrency"),
                Arguments.of("config: {delivery: {concurrency: 2.5}}\n", "concurrency"),
                Arguments.of("config: {retry: {maxRetries: three}}\n", "maxRetries"),
                Arguments.of("config: {retry: {initialDelay: soon}}\n", "initialDelay"),
                Arguments.of("config: {retry: {budget: -0.5}}\n", "budget"),
                Arguments.of("config: {retry: {onStatus: [42]}}\n", "onStatus"),
                Arguments.of("config: {retry: {maxRetry: 3}}\n", "maxRetry"),
                Arguments.of("config: {run: {maxDuration: \"\"}}\n", "maxDuration"),
                Arguments.of("config: {run: {maxDuration: 50m, workLeftExitCode: 256}}\n", "workLeftExitCode"),
                Arguments.of("config: {target: {method: GET}}\n", "method"),
                Arguments.of("config: {target: {url: records.example.com}}\n", "url"),
                Arguments.of("config: {target: {oauth2: {tokenUrl: login.example.com}}}\n", "tokenUrl"),
                // a user:password@ would sit in clear in the ConfigMap and NOTES.txt (and ferry refuses it: exit 78)
                Arguments.of("config: {target: {url: \"https://svc:s3cret@api.example.com/v1\"}}\n", "url"),
                Arguments.of("config: {target: {oauth2: {tokenUrl: \"https://id:s3cret@login.example.com/t\"}}}\n",
                        "tokenUrl"),
                Arguments.of("metrics: {pushgatewayUrl: \"http://push:s3cret@pushgateway:9091\"}\n", "pushgatewayUrl"),
                Arguments.of("config: {target: {oauth2: {clientAuth: jwt}}}\n", "clientAuth"),
                Arguments.of("config: {target: {apiKey: {header: X API Key}}}\n", "header"),
                Arguments.of("config: {target: {basic: {username: \"a:b\"}}}\n", "username"),
                Arguments.of("config: {target: {tls: {caFile: ca.crt}}}\n", "caFile"),
                Arguments.of("config: {target: {headers: {X-Count: 3}}}\n", "X-Count"),
                // a credential in a static header would stand in clear in the ConfigMap: auth mounts it from a Secret
                Arguments.of("config: {target: {headers: {Authorization: \"Bearer t0ken\"}}}\n", "Authorization"),
                Arguments.of("config: {target: {headers: {proxy-authorization: \"Basic dTpw\"}}}\n",
                        "proxy-authorization"),
                Arguments.of("config: {target: {auth: token}}\n", "auth"),
                Arguments.of("config: {csv: {delimiter: \":\"}}\n", "delimiter"),
                Arguments.of("config: {csv: {empty: blank}}\n", "empty"),
                Arguments.of("config: {record: {types: {qty: int}}}\n", "qty"),
                Arguments.of("config: {record: {rename: {order_no: \"\"}}}\n", "order_no"),
                Arguments.of("config: {record: {maxKeyBytes: 0}}\n", "maxKeyBytes"),
                Arguments.of("config: {record: {transform: order.jslt}}\n", "transform"),
                Arguments.of("auth: {mode: token}\n", "mode"),
                Arguments.of("auth: {bearerToken: t}\n", "bearerToken"),
                Arguments.of("tls: {clientCert: {secretName: x}}\n", "secretName"),
                Arguments.of("extraVolumes: [{name: tls, emptyDir: {}}]\n", "extraVolumes"),
                Arguments.of("config: {log: {audit: yes please}}\n", "audit"),
                Arguments.of("cronjob: {schedule: 5}\n", "schedule"),
                Arguments.of("cronjob: {schedule: every hour}\n", "schedule"),
                Arguments.of("persistentVolume: {mountPath: data}\n", "mountPath"),
                Arguments.of("metrics: {pushInterval: 15}\n", "pushInterval"),
                Arguments.of("metrics: {grouping: {shard-id: a}}\n", "shard-id"),
                Arguments.of("metrics: {grouping: {instance: a}}\n", "instance"),
                Arguments.of("serviceAccountName: old-style\n", "serviceAccountName"),
                Arguments.of("serviceAccount: {create: \"true\"}\n", "create"),
                Arguments.of("extraVolumes: [{configMap: {name: x}}]\n", "name"),
                Arguments.of("extraVolumes: [{name: data, emptyDir: {}}]\n", "extraVolumes"),
                Arguments.of("extraVolumeMounts: [{name: x, mountPath: relative}]\n", "mountPath"),
                Arguments.of("sidecars: [{name: ferry, image: x}]\n", "sidecars"),
                Arguments.of("logging: {level: LOUD}\n", "level"),
                Arguments.of("alerts: {notRunning: {enabled: true, severity: critical, intervals: 0}}\n", "intervals"),
                Arguments.of("alerts: {crashing: {enabled: true, severity: warning, labels: {severity: page}}}\n", "severity"),
                Arguments.of("alerts: {scheduleIntervalSeconds: 5}\n", "scheduleIntervalSeconds"),
                Arguments.of("alerts: {noSuchAlert: {enabled: true}}\n", "noSuchAlert"),
                Arguments.of("verify: {schedule: nightly}\n", "schedule"),
                Arguments.of("verify: {args: []}\n", "args"),
                Arguments.of("enabled: maybe\n", "enabled"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValues_failTheSchema_atTemplateTime(String yaml, String property) {
        Path file = values(tmp, yaml);
        assertThatThrownBy(() -> render(file))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(property);
    }
}

package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.CHART;
import static dev.ferry.helm.HelmChart.configData;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.ferryContainer;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a new operator reads: the README and the chart's README, NOTES.txt and dashboard. Every link resolves
 * inside the repository, or, for what ships in the chart package, inside the chart or to the repository on
 * GitHub; the chart README's quick start installs what it says.
 */
class HelmDocsTest {

    static final String REPOSITORY = "https://github.com/ferry-sync/ferry/blob/main/";
    static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    static final Pattern URL = Pattern.compile("https?://[^\\s\"')\\]]+");

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    @Test
    void readme_linksOnlyToFilesOfTheRepository() throws IOException {
        for (Path doc : List.of(Path.of("README.md"), Path.of("docs/reference.md"), Path.of("observability/README.md"),
                Path.of("observability/OPERATIONS.md"))) {
            for (String link : links(doc)) {
                assertThat(link).as("%s: %s", doc, link).doesNotContain("shared/");
                if (!link.startsWith("http")) {
                    assertResolves(doc, link, Path.of(""));
                }
            }
        }
    }

    @Test
    void chartReadme_linksInsideThePackagedChart_orToTheRepository() throws IOException {
        Path readme = CHART.resolve("README.md");
        List<String> links = links(readme);
        assertThat(links).isNotEmpty();
        for (String link : links) {
            if (link.startsWith("http")) {
                assertRepositoryUrl(readme, link);
            } else {
                assertResolves(readme, link, CHART);
                assertThat(packaged(readme.getParent().resolve(link.replaceFirst("#.*", "")).normalize()))
                        .as("%s: %s ships in the chart package (.helmignore)", readme, link).isTrue();
            }
        }
    }

    @Test
    void notesAndDashboard_linkOnlyToTheRepository() throws IOException {
        List<String> urls = new ArrayList<>();
        Matcher notes = URL.matcher(HelmChart.notes(null));
        while (notes.find()) {
            urls.add(notes.group());
        }
        JsonNode dashboard = new ObjectMapper().readTree(CHART.resolve("files/ferry-dashboard.json").toFile());
        dashboard.path("links").forEach(link -> urls.add(link.get("url").asText()));
        Matcher description = URL.matcher(dashboard.toString());
        while (description.find()) {
            urls.add(description.group());
        }
        assertThat(urls).isNotEmpty();
        for (String url : urls) {
            assertRepositoryUrl(Path.of("NOTES.txt / dashboard"), url);
        }
    }

    @Test
    void chartReadmeQuickStart_installsTheReleasedImageAgainstTheApi() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"));
        Matcher heredoc = Pattern.compile("cat > my-values.yaml <<'YAML'\\n(.*?)\\nYAML\\n", Pattern.DOTALL).matcher(readme);
        assertThat(heredoc.find()).as("the quick start's values").isTrue();
        Matcher install = Pattern.compile("helm install ferry (\\S+) --version (\\S+) -f my-values.yaml").matcher(readme);
        assertThat(install.find()).as("the quick start's helm install").isTrue();
        String chartYaml = Files.readString(CHART.resolve("Chart.yaml"));
        assertThat(install.group(1)).isEqualTo("oci://ghcr.io/ferry-sync/charts/ferry");
        assertThat(chartYaml).contains("\nversion: " + install.group(2) + "\n");

        List<HasMetadata> resources = render(values(tmp, heredoc.group(1)));

        Container ferry = ferryContainer(cronJobPod(resources));
        String appVersion = chartYaml.replaceAll("(?s).*\nappVersion: \"([^\"]+)\".*", "$1");
        assertThat(ferry.getImage()).isEqualTo("ghcr.io/ferry-sync/ferry:" + appVersion);
        assertThat(configData(resources)).containsKeys("FERRY_TARGET_URL", "FERRY_METRICS_PUSHGATEWAY_URL")
                .containsEntry("FERRY_TARGET_BEARER_TOKEN_FILE", "/etc/ferry/secrets/bearer-token");
        assertThat(HelmChart.volume(cronJobPod(resources), "auth").getSecret().getSecretName())
                .isEqualTo("records-api-token");
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> links(Path doc) throws IOException {
        List<String> links = new ArrayList<>();
        Matcher link = MARKDOWN_LINK.matcher(Files.readString(doc));
        while (link.find()) {
            links.add(link.group(1));
        }
        return links;
    }

    /** A relative link (maybe with an anchor) names a file under root, and its anchor a heading of that file. */
    private static void assertResolves(Path doc, String link, Path root) throws IOException {
        String file = link.replaceFirst("#.*", "");
        Path target = file.isEmpty() ? doc : doc.toAbsolutePath().getParent().resolve(file).normalize();
        assertThat(target).as("%s: %s", doc, link).exists();
        assertThat(target.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize()))
                .as("%s: %s stays inside %s", doc, link, root).isTrue();
        if (link.contains("#") && target.toString().endsWith(".md")) {
            assertThat(anchors(target)).as("%s: %s", doc, link).contains(link.substring(link.indexOf('#') + 1));
        }
    }

    /** An absolute link goes to a file of this repository on GitHub that exists here, anchor included. */
    private static void assertRepositoryUrl(Path doc, String url) throws IOException {
        assertThat(url).as("%s: %s", doc, url).startsWith(REPOSITORY);
        String path = url.substring(REPOSITORY.length());
        assertResolves(Path.of("README.md"), path, Path.of(""));
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as '-'. */
    private static Set<String> anchors(Path markdown) throws IOException {
        return Files.readAllLines(markdown).stream().filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    /** Whether a file of the chart ships in its package: not matched by a .helmignore line of this chart. */
    private static boolean packaged(Path file) throws IOException {
        String relative = CHART.toAbsolutePath().relativize(file.toAbsolutePath()).toString();
        for (String rule : Files.readAllLines(CHART.resolve(".helmignore"))) {
            String pattern = rule.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            if (pattern.endsWith("/") ? relative.startsWith(pattern) : relative.equals(pattern)) {
                return false;
            }
        }
        return true;
    }
}

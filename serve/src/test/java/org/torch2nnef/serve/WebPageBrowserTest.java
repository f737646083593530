package org.torch2nnef.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code .ci/run} installs): upload, options, progress, the report table
 * and the archive download, with a bearer token.
 */
class WebPageBrowserTest {
    private static final Path CHROMIUM =
            Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Path DRIVER =
            Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
    private static final String TOKEN = "browser-test-token-0123456789";

    @TempDir Path tmp;
    private ServeServer server;
    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void exportsChecksAndDownloadsFromThePage() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "no headless browser: apt-get install chromium chromium-driver (.ci/run does) to run"
                        + " the page's browser test");
        server = new ServeServer(TestServers.config(tmp.resolve("data"), TOKEN, 1, 4, 1 << 20));
        int port = server.start();
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1200,1400");
        options.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory",
                        downloads.toString(),
                        "download.prompt_for_download",
                        false));
        browser =
                new ChromeDriver(
                        new ChromeDriverService.Builder()
                                .usingDriverExecutable(DRIVER.toFile())
                                .build(),
                        options);
        browser.get("http://127.0.0.1:" + port + "/");
        assertEquals("torch2nnef serve", browser.getTitle());

        Path model = TestServers.sample("conv_relu_linear");
        browser.findElement(By.id("model")).sendKeys(model.toRealPath().toString());
        browser.findElement(By.id("inputs")).sendKeys("x=2,3,16");
        new Select(browser.findElement(By.id("check"))).selectByValue("reference");
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("submit")).click();

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(3));
        wait.until(d -> !d.findElement(By.id("verdict")).getText().isEmpty());
        assertEquals("succeeded", browser.findElement(By.id("state")).getText());
        assertEquals("EQUAL", browser.findElement(By.id("verdict")).getText());
        List<WebElement> rows = browser.findElements(By.cssSelector("#outputs tbody tr"));
        assertFalse(rows.isEmpty(), "one row per output");
        for (WebElement row : rows) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertEquals(7, cells.size());
            double maxAbs = Double.parseDouble(cells.get(2).getText());
            assertTrue(maxAbs >= 0 && maxAbs < 1e-3, "max abs error " + maxAbs);
            Double.parseDouble(cells.get(3).getText());
            assertEquals("0", cells.get(4).getText(), "outliers");
            assertEquals("pass", cells.get(5).getText());
        }
        assertTrue(
                browser.findElement(By.id("summary")).getText().contains("conv"),
                browser.findElement(By.id("summary")).getText());
        Files.write(
                Path.of("target", "serve-page.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("download-artifact")).click();
        Path saved = downloads.resolve("conv_relu_linear.nnef.tgz");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> Files.isRegularFile(saved));
        String id = browser.findElement(By.id("job-id")).getText();
        byte[] served =
                new ServeClient(port, TOKEN).getBytes("/v1/jobs/" + id + "/artifact").body();
        assertArrayEquals(served, Files.readAllBytes(saved), "the page saves the served archive");
    }
}

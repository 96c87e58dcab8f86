package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlContains;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * Accounts, roles and API keys on the dashboard, in a real headless Chromium: an admin creates an
 * account and a key (its secret shown once) and revokes it; a viewer sees no edit controls and no
 * admin pages; an owner edits only their own experiments; a user changes their own password.
 */
class AccountsDashboardBrowserTest extends DashboardBrowserSupport {
    @Test
    void adminCreatesAnAccountAndAKeyWhoseSecretIsShownOnceThenRevokesIt() throws Exception {
        driver.get(url("/accounts"));
        signIn(PASSWORD);
        wait.until(urlContains("/accounts"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        // admins have the Accounts and Keys pages in the navigation
        wait.until(visibilityOfElementLocated(By.id("nav-keys")));
        assertThat(driver.findElement(By.cssSelector(".topnav a.active")).getText())
                .isEqualTo("Accounts");
        // an admin cannot demote or disable themself
        WebElement self = driver.findElement(By.cssSelector("#users tr[data-username='admin']"));
        assertThat(self.findElement(By.cssSelector("select.role-select")).isEnabled()).isFalse();
        assertThat(self.findElement(By.cssSelector(".disable-user")).isEnabled()).isFalse();

        // the API's field errors go under the fields they name
        driver.findElement(By.id("user-username")).sendKeys("Ada Lovelace");
        driver.findElement(By.id("user-password")).sendKeys("short");
        driver.findElement(By.id("create-user")).click();
        wait.until(
                visibilityOfElementLocated(By.cssSelector("[data-field='username'] .field-error")));
        assertThat(
                        driver.findElement(By.cssSelector("[data-field='password'] .field-error"))
                                .getText())
                .contains("12 to 72 characters");

        driver.findElement(By.id("user-username")).clear();
        driver.findElement(By.id("user-username")).sendKeys("ada");
        driver.findElement(By.id("user-password")).clear();
        driver.findElement(By.id("user-password")).sendKeys("ada-password-1234");
        driver.findElement(By.id("create-user")).click();
        WebElement ada =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#users tr[data-username='ada']")));
        assertThat(ada.getAttribute("data-role")).isEqualTo("viewer");
        assertThat(ada.findElement(By.cssSelector(".status")).getText()).isEqualTo("Active");
        assertThat(driver.findElements(By.cssSelector(".field-error"))).isEmpty();

        new Select(ada.findElement(By.cssSelector("select.role-select"))).selectByValue("owner");
        acceptConfirm("Change the role of ada from viewer to owner?");
        wait.until(
                attributeToBe(
                        By.cssSelector("#users tr[data-username='ada']"), "data-role", "owner"));
        driver.findElement(By.cssSelector("#users tr[data-username='ada'] .disable-user")).click();
        acceptConfirm("Disable ada?");
        wait.until(
                attributeToBe(
                        By.cssSelector("#users tr[data-username='ada']"), "data-disabled", "true"));
        assertThat(
                        driver.findElement(By.cssSelector("#users tr[data-username='ada'] .status"))
                                .getText())
                .startsWith("Disabled");
        JsonNode stored = user("ada");
        assertThat(stored.path("role").asString()).isEqualTo("owner");
        assertThat(stored.path("disabledAt").isNull()).isFalse();
        // the audit names the admin and what changed
        wait.until(
                presenceOfElementLocated(
                        By.cssSelector(
                                "#security-audit li[data-action='update-user'][data-subject='user:ada']")));
        assertThat(
                        driver
                                .findElements(
                                        By.cssSelector(
                                                "#security-audit li[data-subject='user:ada']"))
                                .stream()
                                .map(li -> li.findElement(By.cssSelector(".changes")).getText()))
                .containsExactly("disabled", "role viewer → owner", "role viewer");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#security-audit li[data-subject='user:ada'] .what"))
                                .getText())
                .isEqualTo("admin · changed account ada");
        chromium.screenshot("accounts");

        driver.findElement(By.id("nav-keys")).click();
        wait.until(urlContains("/keys"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        driver.findElement(By.id("key-name")).sendKeys("feed-ranker-browser");
        driver.findElement(By.cssSelector("label[for='scope-sdk']")).click();
        driver.findElement(By.id("key-rate-limit")).sendKeys("50");
        driver.findElement(By.id("create-key")).click();
        WebElement secretField = wait.until(visibilityOfElementLocated(By.id("new-secret-value")));
        String secret = secretField.getAttribute("value");
        assertThat(secret).startsWith("sk_").hasSizeGreaterThan(20);
        assertThat(driver.findElement(By.id("new-secret")).getText())
                .contains("you will not see it again");
        assertThat(driver.findElement(By.id("copy-secret")).isDisplayed()).isTrue();
        By row = By.cssSelector("#keys tr[data-name='feed-ranker-browser']");
        WebElement listed = wait.until(visibilityOfElementLocated(row));
        String prefix = listed.findElement(By.cssSelector(".prefix")).getText();
        assertThat(prefix).endsWith("…");
        assertThat(secret).startsWith(prefix.substring(0, prefix.length() - 1));
        assertThat(prefix.length() - 1).isLessThan(secret.length() / 2);
        assertThat(listed.findElement(By.cssSelector(".scope")).getText()).isEqualTo("sdk");
        assertThat(listed.findElement(By.cssSelector(".rate-limit")).getText()).isEqualTo("50/s");
        assertThat(listed.findElement(By.cssSelector(".created-by")).getText())
                .isEqualTo("by admin");
        assertThat(listed.getText()).doesNotContain(secret);
        chromium.screenshot("keys-new-secret");
        // the key serves a recommendation service
        assertThat(withKey(secret, "/api/v1/sdk-config")).isEqualTo(200);

        // once dismissed, the secret is nowhere: not on the page, not after a reload, not in the
        // API's list
        driver.findElement(By.id("dismiss-secret")).click();
        wait.until(numberOfElementsToBe(By.id("new-secret"), 0));
        assertThat(driver.getPageSource()).doesNotContain(secret);
        driver.navigate().refresh();
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(visibilityOfElementLocated(row));
        assertThat(driver.findElements(By.id("new-secret-value"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(secret);
        assertThat(get("/api/v1/keys")).doesNotContain(secret);

        driver.findElement(By.cssSelector("#keys tr[data-name='feed-ranker-browser'] .revoke-key"))
                .click();
        acceptConfirm("Revoke the key feed-ranker-browser?");
        wait.until(attributeToBe(row, "data-revoked", "true"));
        assertThat(driver.findElement(row).findElement(By.cssSelector(".status")).getText())
                .startsWith("Revoked")
                .endsWith("by admin");
        assertThat(driver.findElement(row).findElements(By.cssSelector(".revoke-key"))).isEmpty();
        wait.until(
                presenceOfElementLocated(
                        By.cssSelector("#key-audit li[data-action='revoke-key']")));
        chromium.screenshot("keys");
        // revoked: refused at once
        assertThat(withKey(secret, "/api/v1/sdk-config")).isEqualTo(401);
    }

    @Test
    void viewerSeesNoEditControlsAndNoAdminPages() throws Exception {
        createUser("vera", "vera-password-1234", "viewer");
        createByApi(
                """
                {"key": "viewer-visible", "name": "Seen by a viewer", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/viewer-visible/start");

        driver.get(url("/"));
        signInAs("vera", "vera-password-1234");
        wait.until(textToBe(By.id("user-name"), "vera"));
        WebElement listed =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#experiments tr[data-key='viewer-visible']")));
        assertThat(listed.findElement(By.cssSelector("td.owner")).getAttribute("data-owner"))
                .isEqualTo("admin");
        // no way to create, and no admin pages in the navigation
        assertThat(driver.findElement(By.id("new-experiment")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("nav-new")).isDisplayed()).isFalse();
        assertThat(driver.findElements(By.id("nav-accounts"))).isEmpty();
        assertThat(driver.findElements(By.id("nav-keys"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".topnav a[href='/accounts']"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".topnav a[href='/keys']"))).isEmpty();
        assertThat(driver.findElement(By.id("user-role")).getAttribute("data-role"))
                .isEqualTo("viewer");

        driver.get(url("/experiments/viewer-visible"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        assertThat(driver.findElement(By.id("read-only-note")).getText())
                .isEqualTo("Read-only: your role (viewer) cannot change experiments.");
        assertNoChangeControls();
        assertThat(driver.findElement(By.id("owner")).getText()).isEqualTo("· owned by admin");
        chromium.screenshot("experiment-read-only");

        driver.get(url("/experiments/new"));
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        assertThat(driver.findElement(By.id("cannot-create")).getText())
                .contains("You cannot create experiments");
        assertThat(driver.findElement(By.id("create")).isEnabled()).isFalse();

        for (String page : List.of("/accounts", "/keys")) {
            driver.get(url(page));
            wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
            assertThat(driver.findElement(By.id("admin-only")).getText())
                    .as(page)
                    .startsWith("Only admins manage");
            assertThat(
                            driver.findElements(
                                    By.cssSelector(
                                            "#users tr[data-username], #keys tr[data-name]")))
                    .as(page)
                    .isEmpty();
        }
        post("/api/v1/experiments/viewer-visible/stop");
        post("/api/v1/experiments/viewer-visible/archive");
    }

    @Test
    void ownerSeesTheControlsOfTheirOwnExperimentButNotOfAnothers() throws Exception {
        createUser("otto", "otto-password-1234", "owner");
        createByApi(
                """
                {"key": "someone-elses", "name": "Someone else's", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/someone-elses/start");

        // an owner creates an experiment through the form: it is theirs
        driver.get(url("/experiments/new"));
        signInAs("otto", "otto-password-1234");
        wait.until(urlContains("/experiments/new"));
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        assertThat(driver.findElements(By.id("cannot-create"))).isEmpty();
        assertThat(driver.findElement(By.id("nav-new")).isDisplayed()).isTrue();
        assertThat(driver.findElements(By.id("nav-accounts"))).isEmpty();
        driver.findElement(By.id("key")).sendKeys("otto-own");
        driver.findElement(By.id("name")).sendKeys("Otto's ranker");
        driver.findElement(By.id("create")).click();
        wait.until(urlContains("/experiments/otto-own"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "draft"));
        assertThat(driver.findElement(By.id("owner")).getText()).isEqualTo("· owned by otto");
        assertThat(driver.findElement(By.id("read-only-note")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("archive")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("ramp")).isDisplayed()).isTrue();

        // the owner reveals the webhook secret and rotates it
        assertThat(driver.findElement(By.id("webhook-secret-box")).isDisplayed()).isFalse();
        driver.findElement(By.id("reveal-webhook-secret")).click();
        wait.until(visibilityOfElementLocated(By.id("webhook-secret-box")));
        String secret = driver.findElement(By.id("webhook-secret")).getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        assertThat(driver.findElement(By.id("webhook-header")).getText())
                .isEqualTo("X-Splitrank-Signature");
        driver.findElement(By.id("rotate-webhook-secret")).click();
        acceptConfirm("Rotate the webhook secret?");
        wait.until(
                d -> !secret.equals(d.findElement(By.id("webhook-secret")).getAttribute("value")));
        String rotated = driver.findElement(By.id("webhook-secret")).getAttribute("value");
        assertThat(
                        json.readTree(get("/api/v1/experiments/otto-own/webhook-secret"))
                                .path("secret")
                                .asString())
                .isEqualTo(rotated);
        wait.until(
                presenceOfElementLocated(
                        By.cssSelector("#audit li[data-action='rotate-webhook-secret']")));
        driver.findElement(By.id("reveal-webhook-secret")).click();
        wait.until(d -> !d.findElement(By.id("webhook-secret-box")).isDisplayed());
        chromium.screenshot("experiment-owner");

        driver.findElement(By.id("start")).click();
        acceptConfirm("Start the experiment?");
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        assertThat(driver.findElement(By.id("stop")).isDisplayed()).isTrue();

        // the list names each experiment's owner
        driver.get(url("/"));
        WebElement own =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#experiments tr[data-key='otto-own'] td.owner")));
        assertThat(own.getAttribute("data-owner")).isEqualTo("otto");
        assertThat(own.getText()).contains("you");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#experiments tr[data-key='someone-elses'] td.owner"))
                                .getAttribute("data-owner"))
                .isEqualTo("admin");
        assertThat(driver.findElement(By.id("new-experiment")).isDisplayed()).isTrue();

        // another owner's experiment: read-only, with the reason
        driver.get(url("/experiments/someone-elses"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        assertThat(driver.findElement(By.id("read-only-note")).getText())
                .isEqualTo(
                        "Read-only: this experiment belongs to admin; only its owner or an admin"
                                + " can change it.");
        assertNoChangeControls();

        for (String key : List.of("otto-own", "someone-elses")) {
            post("/api/v1/experiments/" + key + "/stop");
            post("/api/v1/experiments/" + key + "/archive");
        }
    }

    @Test
    void userChangesTheirPasswordFromTheMenuAndSignsInWithTheNewOne() throws Exception {
        createUser("paula", "paula-first-password", "viewer");
        driver.get(url("/"));
        signInAs("paula", "paula-first-password");
        wait.until(textToBe(By.id("user-name"), "paula"));

        WebElement menuButton = driver.findElement(By.id("user-menu-button"));
        assertThat(menuButton.getAttribute("aria-expanded")).isEqualTo("false");
        menuButton.click();
        wait.until(visibilityOfElementLocated(By.id("user-menu")));
        assertThat(menuButton.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(driver.findElement(By.id("user-menu")).getText())
                .contains("Signed in as paula")
                .contains("Role: viewer");
        driver.findElement(By.id("change-password")).click();
        WebElement dialog = wait.until(visibilityOfElementLocated(By.id("password-dialog")));
        assertThat(driver.findElement(By.id("user-menu")).isDisplayed()).isFalse();

        // a wrong current password: the API names the field
        changePassword("not-my-password", "paula-second-password", "paula-second-password");
        assertThat(
                        wait.until(
                                        visibilityOfElementLocated(
                                                By.cssSelector(
                                                        "#password-dialog [data-field='currentPassword'] .field-error")))
                                .getText())
                .isEqualTo("does not match");
        assertThat(driver.findElement(By.id("pw-currentPassword")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        // the new password typed twice differently: caught before asking
        changePassword("paula-first-password", "paula-second-password", "paula-other-password");
        wait.until(
                visibilityOfElementLocated(
                        By.cssSelector(
                                "#password-dialog [data-field='confirmPassword'] .field-error")));
        assertThat(
                        driver.findElements(
                                By.cssSelector(
                                        "#password-dialog [data-field='currentPassword'] .field-error")))
                .isEmpty();
        chromium.screenshot("change-password");

        changePassword("paula-first-password", "paula-second-password", "paula-second-password");
        wait.until(d -> !dialog.isDisplayed());
        assertThat(wait.until(visibilityOfElementLocated(By.cssSelector(".toast"))).getText())
                .isEqualTo("Your password has been changed");
        assertThat(user("paula").path("passwordChangedAt").isNull()).isFalse();

        driver.findElement(By.id("logout")).click();
        wait.until(urlContains("/login?logout"));
        signInAs("paula", "paula-first-password");
        wait.until(urlContains("/login?error"));
        signInAs("paula", "paula-second-password");
        wait.until(textToBe(By.id("user-name"), "paula"));
    }

    /** The experiment page shows none of the controls that change the experiment. */
    private void assertNoChangeControls() {
        for (String id :
                List.of(
                        "start",
                        "stop",
                        "archive",
                        "ramp",
                        "ramp-hint",
                        "webhook-card",
                        "reveal-webhook-secret")) {
            assertThat(driver.findElement(By.id(id)).isDisplayed()).as(id).isFalse();
        }
        assertThat(driver.findElements(By.id("ramp-advance"))).isEmpty();
    }

    private void changePassword(String current, String next, String again) {
        for (String[] field :
                List.of(
                        new String[] {"pw-currentPassword", current},
                        new String[] {"pw-newPassword", next},
                        new String[] {"pw-confirmPassword", again})) {
            WebElement input = driver.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        driver.findElement(By.id("save-password")).click();
    }

    /** Signs in as another account than admin. */
    private void signInAs(String username, String password) {
        wait.until(presenceOfElementLocated(By.id("login-form")));
        WebElement name = driver.findElement(By.id("username"));
        name.clear();
        name.sendKeys(username);
        signIn(password);
    }

    private void createUser(String username, String password, String role) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url("/api/v1/users")))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                """
                                                {"username": "%s", "password": "%s", "role": "%s"}"""
                                                        .formatted(username, password, role))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** The account as GET /api/v1/users lists it. */
    private JsonNode user(String username) throws Exception {
        for (JsonNode u : json.readTree(get("/api/v1/users"))) {
            if (u.path("username").asString().equals(username)) {
                return u;
            }
        }
        throw new AssertionError("no user " + username);
    }

    /** The status of a GET with the given key instead of the admin key. */
    private int withKey(String secret, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .header("Authorization", "Bearer " + secret)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}

"""The demo: approved items of each kind, with media generated on the spot."""

import pytest

from picketline.lib.demo_dates import DemoDates
from picketline.submissions import demo, media
from picketline.submissions.models import ActionReport, Endorsement, VideoMessage

pytestmark = pytest.mark.django_db


def test_it_loads_playable_videos_logos_and_reports_twice_without_duplicates(client, media_dirs):
    from django.utils import timezone

    dates = DemoDates.running_on(timezone.localdate())
    demo.load(dates)
    demo.load(dates)
    assert VideoMessage.objects.public().count() == len(demo.VIDEOS)
    assert Endorsement.objects.public().count() == len(demo.ENDORSEMENTS)
    assert ActionReport.objects.public().count() == len(demo.REPORTS)
    assert all(r.happened_on < timezone.localdate() for r in ActionReport.objects.all())
    video = VideoMessage.objects.public().first()
    path = media_dirs[0] / "submissions" / video.video
    tags = str(media.metadata_tags(path)).lower()
    assert "demophone" not in tags and "location" not in tags
    assert client.get(video.video_url()).status_code == 200
    page = client.get("/be/submit/videos/").content.decode()
    assert "Трымайцеся" in page
    assert client.get("/en/submit/endorsements/").status_code == 200

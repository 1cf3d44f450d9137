# input: (1, 28, 28)
net = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
    # 通道数变了，却没有 shortcut
    Residual(nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU()),
    Inception(8, 4, (4, 8), (2, 4), 4),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(16, 10))

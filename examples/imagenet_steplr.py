"""ResNet-50 on ImageNet with the classic step decay (after pytorch/examples' imagenet/main.py).

The learning rate starts at 0.1 and is divided by 10 every 30 epochs; the scheduler steps once per epoch,
after the training pass.
"""
import argparse
import time

import torch
import torch.nn as nn
import torchvision.datasets as datasets
import torchvision.models as models
import torchvision.transforms as transforms
from torch.optim.lr_scheduler import StepLR

parser = argparse.ArgumentParser(description="PyTorch ImageNet Training")
parser.add_argument("data", metavar="DIR", help="path to dataset")
parser.add_argument("-a", "--arch", default="resnet50")
parser.add_argument("--epochs", default=90, type=int, help="number of total epochs to run")
parser.add_argument("--start-epoch", default=0, type=int, help="manual epoch number (useful on restarts)")
parser.add_argument("-b", "--batch-size", default=256, type=int)
parser.add_argument("--lr", "--learning-rate", default=0.1, type=float, dest="lr")
parser.add_argument("--momentum", default=0.9, type=float)
parser.add_argument("--wd", "--weight-decay", default=1e-4, type=float, dest="weight_decay")
parser.add_argument("--lr-step", default=30, type=int, help="decay the lr every N epochs")
parser.add_argument("-p", "--print-freq", default=100, type=int)


def train(train_loader, model, criterion, optimizer, epoch, device, print_freq):
    model.train()
    end = time.time()
    for i, (images, target) in enumerate(train_loader):
        images, target = images.to(device, non_blocking=True), target.to(device, non_blocking=True)
        loss = criterion(model(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i % print_freq == 0:
            print(f"Epoch [{epoch}][{i}/{len(train_loader)}]  loss {loss.item():.4f}  {time.time() - end:.2f}s")
            end = time.time()


@torch.no_grad()
def validate(val_loader, model, criterion, device):
    model.eval()
    correct = total = 0
    for images, target in val_loader:
        output = model(images.to(device))
        correct += (output.argmax(1) == target.to(device)).sum().item()
        total += target.numel()
    return 100.0 * correct / total


def main():
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = models.__dict__[args.arch]().to(device)
    criterion = nn.CrossEntropyLoss().to(device)
    optimizer = torch.optim.SGD(model.parameters(), args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    scheduler = StepLR(optimizer, step_size=args.lr_step, gamma=0.1)

    normalize = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
    train_dataset = datasets.ImageFolder(
        f"{args.data}/train",
        transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(), normalize]),
    )
    val_dataset = datasets.ImageFolder(
        f"{args.data}/val",
        transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(), normalize]),
    )
    train_loader = torch.utils.data.DataLoader(train_dataset, batch_size=args.batch_size, shuffle=True, num_workers=8)
    val_loader = torch.utils.data.DataLoader(val_dataset, batch_size=args.batch_size, num_workers=8)

    best_acc1 = 0.0
    for epoch in range(args.start_epoch, args.epochs):
        train(train_loader, model, criterion, optimizer, epoch, device, args.print_freq)
        acc1 = validate(val_loader, model, criterion, device)
        scheduler.step()
        best_acc1 = max(acc1, best_acc1)
        print(f"epoch {epoch}: acc@1 {acc1:.2f} (best {best_acc1:.2f}), lr {scheduler.get_last_lr()[0]:.5f}")
        torch.save({"epoch": epoch + 1, "state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict()}, "checkpoint.pth.tar")


if __name__ == "__main__":
    main()
